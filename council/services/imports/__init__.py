"""Excel/CSV import and export of a round's dossiers and council members (secretariat).

An upload is read by :func:`read_table` into a header row and rows of cell text, numbered as Excel
shows them. Dossier rows then go through the one validation path of the intake form,
:func:`council.services.dossiers.clean_dossier`. A preview saves nothing; the confirmation reads the
stored file again, validates it again, and saves every row in one transaction, or none.

Services here take bytes, a file name, the round and the acting user: no Flask request.
"""

from __future__ import annotations

from council.services.imports.dossiers import (
    dossier_template,
    export_dossiers_csv,
    export_dossiers_xlsx,
    import_dossiers,
    intake_refusal,
    preview_dossiers,
)
from council.services.imports.members import (
    council_refusal,
    import_members,
    members_template,
    preview_members,
)
from council.services.imports.sheets import (
    EXTENSIONS,
    XLSX_MIMETYPE,
    ImportFileError,
    ImportReport,
    StoredUpload,
    discard_upload,
    load_upload,
    store_upload,
)

__all__ = [
    "EXTENSIONS",
    "XLSX_MIMETYPE",
    "ImportFileError",
    "ImportReport",
    "StoredUpload",
    "council_refusal",
    "discard_upload",
    "dossier_template",
    "export_dossiers_csv",
    "export_dossiers_xlsx",
    "import_dossiers",
    "import_members",
    "intake_refusal",
    "load_upload",
    "members_template",
    "preview_dossiers",
    "preview_members",
    "store_upload",
]
