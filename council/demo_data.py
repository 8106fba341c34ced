"""Demo data: one province-level round of the "Đoàn kết sáng tạo" movement in tỉnh An Hòa, 2025.

Everything here is fictional: the province of An Hòa, its districts, communes, villages, units and
every person's name were invented for the demo; any resemblance to real people or places is
coincidental. Dossier quality is deliberately uneven (strong, ordinary and weak entries) so that the
scoring, normalisation and ranking screens have something realistic to show.

Pure data, no logic: the demo loader reads these module-level constants. Allowed values:

- unit kind: front_committee, labour_federation, farmers_union, youth_union, womens_union,
  veterans_association, agency, enterprise, public_service_unit, commune, armed_forces, other
- unit level: central, province, district, commune
- dossier field: political_system, business, public_service, armed_forces, ethnic_religious_overseas
- dossier kind: initiative, new_idea, model
- council role: chair, vice_chair, secretary, member; staff role: admin, auditor
"""

PROVINCE = "An Hòa"

ISSUING_BODY: dict[str, str] = {
    "name": "Ban Thường trực Ủy ban MTTQ Việt Nam tỉnh An Hòa",
    "parent": "Ủy ban MTTQ Việt Nam tỉnh An Hòa",
}

ROUND: dict[str, object] = {
    "title": (
        "Xét công nhận sáng kiến, ý tưởng mới, mô hình hay trong Phong trào thi đua “Đoàn kết sáng tạo” tỉnh "
        "An Hòa năm 2025"
    ),
    "year": 2025,
}

# Units: the provincial Front committee first, then its member organisations, then other units.
UNITS: list[dict] = [
    {
        "key": "mttq_tinh",
        "name": "Ủy ban MTTQ Việt Nam tỉnh An Hòa",
        "kind": "front_committee",
        "level": "province",
        "parent": None,
    },
    {
        "key": "ldld_tinh",
        "name": "Liên đoàn Lao động tỉnh An Hòa",
        "kind": "labour_federation",
        "level": "province",
        "parent": "mttq_tinh",
    },
    {
        "key": "hnd_tinh",
        "name": "Hội Nông dân tỉnh An Hòa",
        "kind": "farmers_union",
        "level": "province",
        "parent": "mttq_tinh",
    },
    {
        "key": "tinh_doan",
        "name": "Tỉnh Đoàn An Hòa",
        "kind": "youth_union",
        "level": "province",
        "parent": "mttq_tinh",
    },
    {
        "key": "hlhpn_tinh",
        "name": "Hội Liên hiệp Phụ nữ tỉnh An Hòa",
        "kind": "womens_union",
        "level": "province",
        "parent": "mttq_tinh",
    },
    {
        "key": "hccb_tinh",
        "name": "Hội Cựu chiến binh tỉnh An Hòa",
        "kind": "veterans_association",
        "level": "province",
        "parent": "mttq_tinh",
    },
    {
        "key": "cty_may_hoa_phong",
        "name": "Công ty Cổ phần May Hòa Phong",
        "kind": "enterprise",
        "level": "province",
        "parent": None,
    },
    {
        "key": "bvdk_tinh",
        "name": "Bệnh viện Đa khoa tỉnh An Hòa",
        "kind": "public_service_unit",
        "level": "province",
        "parent": None,
    },
    {
        "key": "thpt_chuyen",
        "name": "Trường Trung học phổ thông chuyên An Hòa",
        "kind": "public_service_unit",
        "level": "province",
        "parent": None,
    },
    {
        "key": "bdbp_tinh",
        "name": "Bộ Chỉ huy Bộ đội Biên phòng tỉnh An Hòa",
        "kind": "armed_forces",
        "level": "province",
        "parent": None,
    },
    {
        "key": "mttq_van_khe",
        "name": "Ủy ban MTTQ Việt Nam huyện Vân Khê",
        "kind": "front_committee",
        "level": "district",
        "parent": "mttq_tinh",
    },
    {
        "key": "xa_nam_khao",
        "name": "Xã Nậm Khao, huyện Vân Khê",
        "kind": "commune",
        "level": "commune",
        "parent": "mttq_van_khe",
    },
]

# 60 dossiers grouped by submitting unit. Weak entries (vague results) are intentional.
DOSSIERS: list[dict] = [
    # Liên đoàn Lao động tỉnh An Hòa
    {
        "kind": "initiative",
        "field": "political_system",
        "unit": "ldld_tinh",
        "title": "Số hóa hồ sơ đoàn viên và phát hành thẻ đoàn viên công đoàn điện tử có mã QR",
        "lead_author": "Trần Văn Khải",
        "co_authors": ["Lê Thị Minh Nguyệt", "Phạm Quốc Bảo"],
        "summary": (
            "Xây dựng phân hệ quản lý đoàn viên trên ứng dụng “Công đoàn An Hòa”, cho phép công đoàn cơ sở "
            "cập nhật biến động đoàn viên trực tuyến và phát hành thẻ đoàn viên điện tử có mã QR. Đoàn viên "
            "dùng thẻ để hưởng ưu đãi tại các doanh nghiệp, cửa hàng liên kết với chương trình “Phúc lợi cho "
            "đoàn viên”."
        ),
        "novelty": (
            "Trước đây hồ sơ đoàn viên được quản lý bằng sổ giấy và bảng tính rời rạc ở từng công đoàn cơ "
            "sở; nay dữ liệu được cập nhật tập trung, tra cứu tức thời và dùng chung cho báo cáo, chăm lo "
            "đoàn viên."
        ),
        "applied_time": "Từ tháng 4/2024 đến nay",
        "applied_place": "412 công đoàn cơ sở trực thuộc Liên đoàn Lao động tỉnh An Hòa",
        "applied_work": (
            "Quản lý đoàn viên, thống kê, báo cáo định kỳ và triển khai chương trình phúc lợi cho đoàn viên."
        ),
        "results": (
            "Đã số hóa hồ sơ của 68.450 đoàn viên (đạt 91%); thời gian tổng hợp báo cáo quý giảm từ 7 ngày "
            "xuống 1 ngày; 23 đơn vị liên kết đã giảm giá cho đoàn viên với tổng giá trị ưu đãi khoảng 1,2 "
            "tỷ đồng."
        ),
    },
    {
        "kind": "model",
        "field": "business",
        "unit": "ldld_tinh",
        "title": "Mô hình “Nhà trọ công nhân an toàn, văn minh” quanh Khu công nghiệp Hòa Phong",
        "lead_author": "Đặng Thị Hồng Nhung",
        "co_authors": ["Vũ Đức Thắng", "Hoàng Văn Lợi"],
        "summary": (
            "Công đoàn phối hợp với chính quyền xã và chủ nhà trọ ký cam kết bảo đảm an toàn phòng cháy, thu "
            "tiền điện, nước đúng giá quy định, bố trí phòng sinh hoạt chung và tủ sách cho công nhân. Mỗi "
            "cụm nhà trọ có tổ tự quản do công nhân bầu ra."
        ),
        "novelty": (
            "Lần đầu tiên chủ nhà trọ được đưa vào tiêu chí bình xét và được công đoàn giới thiệu công nhân "
            "đến thuê, gắn lợi ích của chủ trọ với việc cải thiện điều kiện ở của người lao động."
        ),
        "applied_time": "Từ tháng 6/2023 đến nay",
        "applied_place": "Các xã Hòa Thịnh, Hòa Lợi, huyện Hòa Phong (xung quanh Khu công nghiệp Hòa Phong)",
        "applied_work": (
            "Chăm lo nơi ở, đời sống văn hóa tinh thần cho công nhân lao động thuê trọ ngoài khu công nghiệp."
        ),
        "results": (
            "37 nhà trọ với 1.120 phòng đạt chuẩn; trên 2.600 công nhân được tính giá điện, nước theo giá "
            "nhà nước, tiết kiệm bình quân 180.000 đồng/người/tháng; không xảy ra vụ cháy nổ nào trong năm "
            "2024."
        ),
    },
    {
        "kind": "initiative",
        "field": "business",
        "unit": "ldld_tinh",
        "title": "Đặt hàng bình ổn giá trực tuyến, nhận hàng tại cổng nhà máy theo ca làm việc cho công nhân",
        "lead_author": "Ngô Thị Thanh Tâm",
        "co_authors": ["Bùi Xuân Trường"],
        "summary": (
            "Công đoàn phối hợp với hệ thống siêu thị trong tỉnh mở kênh đặt hàng qua Zalo OA; công nhân "
            "chọn hàng thiết yếu với giá bình ổn và nhận hàng tại cổng nhà máy khi tan ca. Công đoàn cơ sở "
            "cử đoàn viên làm đầu mối tổng hợp đơn hàng, kiểm tra chất lượng hàng hóa."
        ),
        "novelty": (
            "Thay cho các phiên chợ công nhân chỉ tổ chức vài lần trong năm, công nhân có thể đặt hàng hằng "
            "tuần, không mất thời gian đi chợ sau giờ làm, hàng hóa có nguồn gốc rõ ràng."
        ),
        "applied_time": "Từ tháng 9/2024 đến nay",
        "applied_place": "14 doanh nghiệp tại Khu công nghiệp Hòa Phong và Cụm công nghiệp Thanh Lương",
        "applied_work": "Chăm lo đời sống vật chất, giảm chi phí sinh hoạt cho công nhân lao động.",
        "results": (
            "Có 9.800 đoàn viên tham gia đặt hàng với doanh số 3,4 tỷ đồng; giá hàng thấp hơn giá thị trường "
            "10–15%, ước tính công nhân tiết kiệm khoảng 420 triệu đồng."
        ),
    },
    {
        "kind": "new_idea",
        "field": "political_system",
        "unit": "ldld_tinh",
        "title": (
            "Ý tưởng “Hòm thư góp ý điện tử ẩn danh” để công đoàn cơ sở tiếp nhận kiến nghị của người lao "
            "động"
        ),
        "lead_author": "Đinh Thị Lan Anh",
        "co_authors": [],
        "summary": (
            "Mỗi công đoàn cơ sở có một mã QR dán tại nhà ăn, khu vực nghỉ giữa ca để người lao động gửi góp "
            "ý, kiến nghị ẩn danh về tiền lương, điều kiện làm việc, an toàn lao động. Ban chấp hành công "
            "đoàn cơ sở phân loại, đưa vào đối thoại với người sử dụng lao động và trả lời công khai."
        ),
        "novelty": (
            "Người lao động thường e ngại nêu ý kiến trực tiếp tại hội nghị hoặc qua tổ trưởng; hình thức ẩn "
            "danh giúp phát hiện sớm bức xúc, phòng ngừa tranh chấp lao động tập thể."
        ),
        "applied_time": "Thử nghiệm từ tháng 2/2025",
        "applied_place": "05 công đoàn cơ sở doanh nghiệp tại Khu công nghiệp Hòa Phong",
        "applied_work": (
            "Tiếp nhận, giải quyết kiến nghị của người lao động và tổ chức đối thoại tại nơi làm việc."
        ),
        "results": (
            "Sau 3 tháng thử nghiệm đã tiếp nhận 146 ý kiến, trong đó 39 ý kiến được đưa vào nội dung đối "
            "thoại định kỳ; chưa đánh giá được hiệu quả trên diện rộng."
        ),
    },
    {
        "kind": "initiative",
        "field": "ethnic_religious_overseas",
        "unit": "ldld_tinh",
        "title": (
            "Kết nối, hỗ trợ pháp lý trực tuyến cho người lao động, kiều bào quê An Hòa tại Hàn Quốc và Nhật "
            "Bản"
        ),
        "lead_author": "Tạ Quang Vinh",
        "co_authors": ["Lương Thị Kim Oanh", "Phạm Quốc Bảo"],
        "summary": (
            "Lập các nhóm kết nối trực tuyến người lao động, kiều bào quê An Hòa đang sinh sống, làm việc "
            "tại Hàn Quốc, Nhật Bản; hằng tháng tổ chức buổi tư vấn pháp luật lao động, hợp đồng, bảo hiểm "
            "với luật sư tình nguyện. Các nhóm đồng thời là kênh để bà con hướng về quê hương, ủng hộ công "
            "trình an sinh xã hội."
        ),
        "novelty": (
            "Trước đây người lao động ở nước ngoài chỉ liên hệ với doanh nghiệp phái cử khi có sự cố; nay có "
            "kênh hỗ trợ thường xuyên của tổ chức Công đoàn, kết nối cả với gia đình ở quê."
        ),
        "applied_time": "Từ tháng 1/2024 đến nay",
        "applied_place": "Cộng đồng người lao động, kiều bào quê An Hòa tại Hàn Quốc và Nhật Bản",
        "applied_work": (
            "Tư vấn pháp luật, hỗ trợ người lao động ở nước ngoài và vận động kiều bào hướng về quê hương."
        ),
        "results": (
            "Các nhóm có 3.150 thành viên; đã tư vấn 286 trường hợp, hỗ trợ 17 người lao động đòi được tiền "
            "lương, bảo hiểm với tổng số tiền khoảng 1,9 tỷ đồng; kiều bào ủng hộ xây 02 nhà Đại đoàn kết "
            "trị giá 120 triệu đồng."
        ),
    },
    {
        "kind": "model",
        "field": "business",
        "unit": "ldld_tinh",
        "title": "Mô hình “Tổ sáng kiến cải tiến kỹ thuật” trong công nhân ngành chế biến gỗ",
        "lead_author": "Hoàng Văn Lợi",
        "co_authors": ["Vũ Đức Thắng"],
        "summary": (
            "Công đoàn cơ sở thành lập tổ sáng kiến gồm công nhân có tay nghề cao để trao đổi kinh nghiệm, "
            "đề xuất cải tiến trong sản xuất. Tổ sinh hoạt định kỳ hằng tháng."
        ),
        "novelty": "Phong trào phát huy sáng kiến được tổ chức có nền nếp hơn so với trước.",
        "applied_time": "Năm 2024",
        "applied_place": "Một số doanh nghiệp chế biến gỗ trên địa bàn huyện Thanh Lương",
        "applied_work": "Phong trào thi đua “Lao động giỏi, lao động sáng tạo” trong công nhân lao động.",
        "results": (
            "Bước đầu khơi dậy tinh thần lao động sáng tạo trong công nhân; nhiều ý kiến đóng góp được doanh "
            "nghiệp ghi nhận, góp phần nâng cao năng suất lao động."
        ),
    },
    # Hội Nông dân tỉnh An Hòa
    {
        "kind": "model",
        "field": "business",
        "unit": "hnd_tinh",
        "title": (
            "Mô hình “Hợp tác xã trồng bưởi theo tiêu chuẩn VietGAP gắn với truy xuất nguồn gốc bằng mã QR”"
        ),
        "lead_author": "Nguyễn Văn Thạch",
        "co_authors": ["Phan Thị Bích Ngọc", "Cao Văn Dũng", "Lê Đình Phúc"],
        "summary": (
            "Hội Nông dân tỉnh hướng dẫn 52 hộ hội viên thành lập hợp tác xã, sản xuất bưởi theo quy trình "
            "VietGAP, ghi nhật ký canh tác điện tử và dán tem truy xuất nguồn gốc bằng mã QR trên từng quả. "
            "Hợp tác xã ký hợp đồng bao tiêu với hai chuỗi siêu thị và một doanh nghiệp xuất khẩu."
        ),
        "novelty": (
            "Lần đầu tiên nông dân trong vùng sản xuất theo một quy trình thống nhất và truy xuất được đến "
            "từng vườn, chấm dứt tình trạng bán cho thương lái với giá bị ép."
        ),
        "applied_time": "Từ vụ thu hoạch năm 2023 đến nay",
        "applied_place": "Xã Thanh Hà, huyện Thanh Lương, tỉnh An Hòa",
        "applied_work": "Sản xuất, sơ chế và tiêu thụ bưởi của hội viên nông dân.",
        "results": (
            "45 ha được cấp chứng nhận VietGAP; giá bán cao hơn sản phẩm cùng loại 15–20%; thu nhập của hộ "
            "thành viên tăng 28%, đạt bình quân khoảng 310 triệu đồng/hộ/năm."
        ),
    },
    {
        "kind": "initiative",
        "field": "business",
        "unit": "hnd_tinh",
        "title": "Ủ phụ phẩm nông nghiệp bằng chế phẩm vi sinh làm phân bón hữu cơ quy mô hộ gia đình",
        "lead_author": "Hồ Sỹ Hùng",
        "co_authors": ["Trịnh Thị Mai"],
        "summary": (
            "Hướng dẫn nông dân dùng chế phẩm vi sinh ủ rơm rạ, thân cây ngô, phân chuồng thành phân hữu cơ "
            "ngay tại ruộng, thay cho việc đốt rơm rạ sau thu hoạch. Hội cơ sở thành lập tổ dịch vụ cung ứng "
            "chế phẩm và máy đảo trộn cho hội viên."
        ),
        "novelty": (
            "Quy trình ủ được rút ngắn còn 25–30 ngày, phù hợp với lịch thời vụ của địa phương; chi hội tổ "
            "chức ủ tập trung theo nhóm hộ nên giảm chi phí."
        ),
        "applied_time": "Từ vụ Đông Xuân 2023–2024 đến nay",
        "applied_place": "32 xã thuộc các huyện Thanh Lương, Hòa Phong, Phú Lạc",
        "applied_work": "Xử lý phụ phẩm nông nghiệp, sản xuất phân bón hữu cơ phục vụ trồng lúa, rau màu.",
        "results": (
            "1.350 hộ áp dụng, xử lý khoảng 8.200 tấn phụ phẩm; lượng phân hóa học sử dụng giảm 30%, chi phí "
            "sản xuất giảm bình quân 2,1 triệu đồng/ha/vụ; tình trạng đốt rơm rạ giảm rõ rệt."
        ),
    },
    {
        "kind": "model",
        "field": "business",
        "unit": "hnd_tinh",
        "title": "Mô hình “Chi hội nông dân nghề nghiệp nuôi ong lấy mật” gắn với sản phẩm OCOP",
        "lead_author": "Lò Văn Piềng",
        "co_authors": ["Kha Văn Tình", "Võ Thị Thu Hương"],
        "summary": (
            "Tập hợp 27 hộ nuôi ong vào chi hội nghề nghiệp để thống nhất quy trình nuôi, khai thác và đóng "
            "chai mật ong. Chi hội xây dựng nhãn hiệu “Mật ong Vân Khê” và được công nhận sản phẩm OCOP 3 "
            "sao."
        ),
        "novelty": (
            "Trước đây các hộ nuôi ong nhỏ lẻ, bán mật ong không nhãn mác; nay có nhãn hiệu chung, bao bì, "
            "tem truy xuất và kênh tiêu thụ ổn định."
        ),
        "applied_time": "Từ tháng 5/2023 đến nay",
        "applied_place": "Các xã Nậm Khao, Huổi Pha, huyện Vân Khê",
        "applied_work": "Nuôi ong, khai thác, chế biến và tiêu thụ mật ong của hội viên nông dân.",
        "results": (
            "Số đàn ong tăng từ 640 lên 1.180 đàn; sản lượng mật năm 2024 đạt 9,5 tấn, giá bán tăng từ "
            "250.000 lên 380.000 đồng/lít; 8 hộ thoát nghèo."
        ),
    },
    {
        "kind": "new_idea",
        "field": "political_system",
        "unit": "hnd_tinh",
        "title": "Ý tưởng “Sổ tay hội viên nông dân điện tử”",
        "lead_author": "Lê Đình Phúc",
        "co_authors": [],
        "summary": (
            "Xây dựng sổ tay điện tử trên điện thoại để hội viên tra cứu Điều lệ Hội, chính sách hỗ trợ nông "
            "dân, thông tin thời tiết, giá cả nông sản. Cán bộ Hội cơ sở dùng sổ tay để thông báo lịch sinh "
            "hoạt chi hội."
        ),
        "novelty": "Thay thế một phần tài liệu giấy, giúp hội viên tiếp cận thông tin thuận tiện hơn.",
        "applied_time": "Dự kiến triển khai năm 2025",
        "applied_place": "Các cơ sở Hội Nông dân trong tỉnh",
        "applied_work": "Tuyên truyền, sinh hoạt chi hội và cung cấp thông tin cho hội viên nông dân.",
        "results": "Đã xây dựng đề cương nội dung; ý tưởng được nhiều cán bộ, hội viên đồng tình, hưởng ứng.",
    },
    {
        "kind": "initiative",
        "field": "business",
        "unit": "hnd_tinh",
        "title": (
            "Đưa nông sản, sản phẩm OCOP của hội viên lên gian hàng chung “Nông sản An Hòa” trên sàn thương "
            "mại điện tử"
        ),
        "lead_author": "Võ Thị Thu Hương",
        "co_authors": ["Nguyễn Văn Thạch", "Trịnh Thị Mai"],
        "summary": (
            "Hội Nông dân tỉnh mở gian hàng chung trên sàn thương mại điện tử, tập huấn cho hội viên chụp "
            "ảnh, mô tả sản phẩm, đóng gói và giao hàng. Hội thẩm định chất lượng, hồ sơ pháp lý của sản "
            "phẩm trước khi đưa lên gian hàng."
        ),
        "novelty": (
            "Hội viên không phải tự mở gian hàng riêng, không cần nhiều kỹ năng số vẫn bán được hàng trên "
            "môi trường mạng với uy tín của tổ chức Hội."
        ),
        "applied_time": "Từ tháng 7/2023 đến nay",
        "applied_place": "Toàn tỉnh An Hòa",
        "applied_work": "Hỗ trợ hội viên nông dân tiêu thụ nông sản, sản phẩm OCOP.",
        "results": (
            "126 sản phẩm của 74 hộ, hợp tác xã được đưa lên gian hàng; doanh thu lũy kế đạt 5,8 tỷ đồng, "
            "31% đơn hàng đến từ ngoài tỉnh."
        ),
    },
    {
        "kind": "model",
        "field": "ethnic_religious_overseas",
        "unit": "hnd_tinh",
        "title": "Mô hình “Tổ hợp tác trồng quế hữu cơ của đồng bào dân tộc Khơ Mú”",
        "lead_author": "Kha Văn Tình",
        "co_authors": ["Lý Thị Hoa", "Hồ Sỹ Hùng"],
        "summary": (
            "Vận động 41 hộ đồng bào Khơ Mú thành lập tổ hợp tác, trồng và chăm sóc quế theo hướng hữu cơ, "
            "không dùng thuốc diệt cỏ. Hội Nông dân kết nối doanh nghiệp hỗ trợ giống, bao tiêu vỏ quế khô "
            "và tinh dầu quế."
        ),
        "novelty": (
            "Đồng bào chuyển từ phát nương trồng lúa rẫy năng suất thấp sang trồng cây lâu năm có chứng nhận "
            "hữu cơ, liên kết chặt chẽ với doanh nghiệp."
        ),
        "applied_time": "Từ năm 2022 đến nay",
        "applied_place": "Bản Huổi Cang, xã Nậm Khao, huyện Vân Khê",
        "applied_work": "Phát triển kinh tế, giảm nghèo bền vững trong đồng bào dân tộc thiểu số.",
        "results": (
            "Diện tích quế đạt 86 ha, trong đó 30 ha được cấp chứng nhận hữu cơ; thu nhập từ tỉa thưa quế "
            "bình quân 35 triệu đồng/hộ/năm; tỷ lệ hộ nghèo của bản giảm từ 46% xuống 29%."
        ),
    },
    {
        "kind": "initiative",
        "field": "business",
        "unit": "hnd_tinh",
        "title": "Cải tiến máy gieo hạt ngô kéo tay dùng trên đất dốc",
        "lead_author": "Cao Văn Dũng",
        "co_authors": [],
        "summary": (
            "Tác giả chế tạo máy gieo hạt từ khung xe đạp cũ, bánh xe có gai bám và ống chia hạt điều chỉnh "
            "được khoảng cách, một người kéo được trên đất dốc đến 25 độ. Máy gieo đồng thời hạt và phân "
            "lót, tự lấp đất sau khi gieo."
        ),
        "novelty": (
            "Các loại máy gieo trên thị trường chủ yếu dùng cho đất bằng và có giá cao; máy cải tiến gọn "
            "nhẹ, giá thành thấp, phù hợp với nương dốc của đồng bào."
        ),
        "applied_time": "Từ vụ Xuân Hè 2024 đến nay",
        "applied_place": "Các huyện Vân Khê, Thanh Lương",
        "applied_work": "Gieo trồng ngô trên đất dốc.",
        "results": (
            "Giảm khoảng 60% công lao động khi gieo, một người gieo được 0,4 ha/ngày; chi phí chế tạo 2,5 "
            "triệu đồng/máy; đã có 215 máy được các hộ tự chế tạo hoặc đặt làm."
        ),
    },
    # Tỉnh Đoàn An Hòa
    {
        "kind": "model",
        "field": "political_system",
        "unit": "tinh_doan",
        "title": (
            "Mô hình “Tổ công nghệ số cộng đồng thanh niên” hỗ trợ người dân sử dụng dịch vụ công trực tuyến"
        ),
        "lead_author": "Đỗ Minh Tuấn",
        "co_authors": ["Nguyễn Thị Ngọc Ánh", "Lâm Gia Huy"],
        "summary": (
            "Mỗi cơ sở Đoàn thành lập tổ công nghệ số gồm đoàn viên có kỹ năng số, trực tại bộ phận một cửa "
            "xã, phường vào các ngày cao điểm và đến tận nhà hỗ trợ người cao tuổi. Tổ hướng dẫn người dân "
            "kích hoạt định danh điện tử, nộp hồ sơ dịch vụ công trực tuyến và thanh toán không dùng tiền "
            "mặt."
        ),
        "novelty": (
            "Hoạt động hỗ trợ được duy trì thường xuyên, có lịch trực công khai và sổ theo dõi, thay vì chỉ "
            "tổ chức theo đợt trong chiến dịch tình nguyện hè như trước."
        ),
        "applied_time": "Từ tháng 3/2024 đến nay",
        "applied_place": "126 xã, phường, thị trấn trên địa bàn tỉnh An Hòa",
        "applied_work": (
            "Chuyển đổi số, cải cách hành chính, hỗ trợ người dân thực hiện dịch vụ công trực tuyến."
        ),
        "results": (
            "Đã hỗ trợ 12.600 người kích hoạt tài khoản định danh điện tử mức 2 và 8.900 lượt nộp hồ sơ trực "
            "tuyến; tỷ lệ hồ sơ trực tuyến toàn trình tại các xã có tổ hoạt động tăng từ 21% lên 47%."
        ),
    },
    {
        "kind": "initiative",
        "field": "public_service",
        "unit": "tinh_doan",
        "title": (
            "Xây dựng kho bài giảng video ôn thi tốt nghiệp trung học phổ thông miễn phí do giáo viên trẻ, "
            "sinh viên tình nguyện thực hiện"
        ),
        "lead_author": "Trương Thị Thảo Vy",
        "co_authors": ["Huỳnh Bảo Trâm", "Mai Xuân Hòa"],
        "summary": (
            "Tỉnh Đoàn phối hợp với Sở Giáo dục và Đào tạo huy động giáo viên trẻ, sinh viên sư phạm ghi "
            "hình bài giảng ôn tập theo chuyên đề, đăng trên kênh video và nền tảng học tập của Tỉnh Đoàn. "
            "Học sinh vùng khó khăn được ưu tiên hỗ trợ thiết bị và gói dữ liệu di động."
        ),
        "novelty": (
            "Học sinh vùng sâu, vùng xa được tiếp cận bài giảng chất lượng miễn phí, xem lại được nhiều lần "
            "và hỏi đáp trực tuyến với giáo viên."
        ),
        "applied_time": "Từ tháng 10/2023 đến nay",
        "applied_place": "Các trường trung học phổ thông trên địa bàn tỉnh, ưu tiên huyện Vân Khê",
        "applied_work": "Hỗ trợ học sinh ôn thi tốt nghiệp trung học phổ thông.",
        "results": (
            "Đã xây dựng 420 video bài giảng với hơn 1,3 triệu lượt xem; điểm trung bình thi tốt nghiệp của "
            "học sinh huyện Vân Khê năm 2024 tăng 0,42 điểm so với năm 2023."
        ),
    },
    {
        "kind": "new_idea",
        "field": "political_system",
        "unit": "tinh_doan",
        "title": "Ý tưởng “Bản đồ số công trình, phần việc thanh niên”",
        "lead_author": "Phạm Hoàng Long",
        "co_authors": ["Lâm Gia Huy"],
        "summary": (
            "Xây dựng bản đồ số hiển thị vị trí, hình ảnh, kinh phí các công trình, phần việc thanh niên "
            "trên địa bàn tỉnh. Người dân có thể xem và góp ý về hiện trạng công trình sau khi bàn giao."
        ),
        "novelty": "Giúp công khai, theo dõi công trình thanh niên một cách trực quan.",
        "applied_time": "Dự kiến thực hiện từ năm 2025",
        "applied_place": "Các cơ sở Đoàn trong tỉnh",
        "applied_work": "Quản lý, theo dõi các công trình, phần việc thanh niên.",
        "results": "Đang hoàn thiện ý tưởng, chưa triển khai thực tế.",
    },
    {
        "kind": "model",
        "field": "armed_forces",
        "unit": "tinh_doan",
        "title": (
            "Mô hình “Thanh niên sẵn sàng nhập ngũ” ôn luyện thể lực, kiến thức quốc phòng trước ngày giao "
            "quân"
        ),
        "lead_author": "Nguyễn Đức Anh Khoa",
        "co_authors": ["Mai Xuân Hòa"],
        "summary": (
            "Đoàn Thanh niên phối hợp với Ban Chỉ huy Quân sự cấp xã tổ chức sinh hoạt, rèn luyện thể lực, "
            "điều lệnh, giáo dục truyền thống cho thanh niên đã có lệnh gọi nhập ngũ. Quân nhân xuất ngũ "
            "được mời chia sẻ kinh nghiệm, giúp tân binh chuẩn bị tâm lý."
        ),
        "novelty": (
            "Trước đây thanh niên hầu như không được chuẩn bị trước khi nhập ngũ; nay được sinh hoạt có hệ "
            "thống trong 4–6 tuần, gia đình yên tâm."
        ),
        "applied_time": "Các đợt giao nhận quân năm 2024 và năm 2025",
        "applied_place": "Huyện Phú Lạc và huyện Hòa Phong",
        "applied_work": "Công tác tuyển quân, chuẩn bị cho thanh niên thực hiện nghĩa vụ quân sự.",
        "results": (
            "100% thanh niên có lệnh gọi nhập ngũ có mặt đúng hẹn; không có trường hợp đào ngũ trong 6 tháng "
            "đầu; tỷ lệ tân binh đạt yêu cầu kiểm tra thể lực tăng từ 78% lên 93% theo đánh giá của đơn vị "
            "nhận quân."
        ),
    },
    {
        "kind": "initiative",
        "field": "ethnic_religious_overseas",
        "unit": "tinh_doan",
        "title": (
            "Kết nối thanh niên, sinh viên An Hòa học tập, làm việc ở nước ngoài qua câu lạc bộ trực tuyến "
            "“Hướng về An Hòa”"
        ),
        "lead_author": "Nguyễn Thị Ngọc Ánh",
        "co_authors": ["Trương Thị Thảo Vy", "Phạm Hoàng Long"],
        "summary": (
            "Tỉnh Đoàn thành lập câu lạc bộ trực tuyến tập hợp thanh niên, sinh viên quê An Hòa ở nước "
            "ngoài, tổ chức tọa đàm hằng quý về khởi nghiệp, chuyển đổi số và cơ hội việc làm tại tỉnh. "
            "Thành viên câu lạc bộ tham gia tư vấn du học, dạy ngoại ngữ trực tuyến cho học sinh trong tỉnh."
        ),
        "novelty": (
            "Lần đầu tiên có đầu mối thường xuyên kết nối thanh niên kiều bào với tổ chức Đoàn và quê hương, "
            "thay cho các hoạt động giao lưu không định kỳ."
        ),
        "applied_time": "Từ tháng 8/2024 đến nay",
        "applied_place": "Thanh niên, sinh viên quê An Hòa tại 14 quốc gia và vùng lãnh thổ",
        "applied_work": "Công tác vận động thanh niên Việt Nam ở nước ngoài hướng về quê hương.",
        "results": (
            "Câu lạc bộ có 640 thành viên; đã tổ chức 5 buổi tọa đàm, 38 lớp ngoại ngữ trực tuyến miễn phí "
            "cho hơn 900 học sinh; 6 thành viên đã về nước làm việc, khởi nghiệp tại tỉnh."
        ),
    },
    {
        "kind": "model",
        "field": "business",
        "unit": "tinh_doan",
        "title": "Mô hình “Thanh niên livestream tiêu thụ nông sản, sản phẩm OCOP”",
        "lead_author": "Lâm Gia Huy",
        "co_authors": ["Huỳnh Bảo Trâm", "Đỗ Minh Tuấn"],
        "summary": (
            "Đoàn viên có kinh nghiệm bán hàng trực tuyến được tập huấn và ghép cặp với hợp tác xã, hộ sản "
            "xuất để livestream giới thiệu, bán sản phẩm trên mạng xã hội. Tỉnh Đoàn hỗ trợ thiết bị và xây "
            "dựng kịch bản giới thiệu sản phẩm gắn với văn hóa, du lịch địa phương."
        ),
        "novelty": (
            "Thanh niên trực tiếp đến vườn, cơ sở sản xuất để livestream, tạo niềm tin cho người mua, thay "
            "cho việc chỉ đăng ảnh bán hàng như trước."
        ),
        "applied_time": "Từ tháng 6/2024 đến nay",
        "applied_place": "Các hợp tác xã, hộ sản xuất tại các huyện Thanh Lương, Vân Khê, Phú Lạc",
        "applied_work": "Hỗ trợ tiêu thụ nông sản, sản phẩm OCOP trên môi trường số.",
        "results": (
            "Tổ chức 86 phiên livestream, tiêu thụ 47 tấn nông sản, doanh thu khoảng 2,9 tỷ đồng; 12 hợp tác "
            "xã duy trì bán hàng trực tuyến thường xuyên."
        ),
    },
    # Hội Liên hiệp Phụ nữ tỉnh An Hòa
    {
        "kind": "model",
        "field": "business",
        "unit": "hlhpn_tinh",
        "title": "Mô hình “Chợ an toàn, văn minh, thanh toán không dùng tiền mặt”",
        "lead_author": "Nguyễn Thị Hải Yến",
        "co_authors": ["Trần Thị Bích Loan", "Phùng Thị Hạnh"],
        "summary": (
            "Hội Liên hiệp Phụ nữ phối hợp với Ban quản lý chợ và các ngân hàng vận động tiểu thương mở tài "
            "khoản, niêm yết mã QR thanh toán tại từng quầy hàng. Các chi hội phụ nữ tiểu thương được tập "
            "huấn nhận biết giao dịch giả mạo, bảo đảm an toàn tài khoản."
        ),
        "novelty": (
            "Tiểu thương, phần lớn là phụ nữ lớn tuổi, được hướng dẫn cầm tay chỉ việc; chợ truyền thống lần "
            "đầu có tỷ lệ quầy hàng nhận thanh toán điện tử cao tương đương siêu thị."
        ),
        "applied_time": "Từ tháng 5/2023 đến nay",
        "applied_place": "Chợ Đông Thành, chợ Nam Thành (thành phố An Hòa) và chợ trung tâm huyện Phú Lạc",
        "applied_work": "Thanh toán không dùng tiền mặt, xây dựng chợ văn minh thương mại.",
        "results": (
            "1.036/1.120 quầy hàng (92,5%) có mã QR thanh toán; giá trị giao dịch không dùng tiền mặt bình "
            "quân đạt 2,6 tỷ đồng/tháng; không phát sinh vụ lừa đảo qua tài khoản của tiểu thương."
        ),
    },
    {
        "kind": "model",
        "field": "political_system",
        "unit": "hlhpn_tinh",
        "title": "Mô hình “Tổ phụ nữ phân loại rác thải tại nguồn, đổi rác lấy quà”",
        "lead_author": "Dương Thị Kiều Trang",
        "co_authors": ["Nguyễn Thị Hải Yến"],
        "summary": (
            "Các chi hội phụ nữ hướng dẫn hội viên phân loại rác hữu cơ, rác tái chế và rác còn lại ngay tại "
            "hộ gia đình. Hằng tháng tổ chức phiên “đổi rác lấy quà”; tiền bán phế liệu được đưa vào quỹ hỗ "
            "trợ hội viên khó khăn."
        ),
        "novelty": (
            "Gắn việc phân loại rác với lợi ích cụ thể và quỹ tương trợ của chi hội nên duy trì được lâu "
            "dài, không chỉ dừng ở tuyên truyền."
        ),
        "applied_time": "Từ tháng 1/2024 đến nay",
        "applied_place": "28 khu dân cư thuộc thành phố An Hòa và thị trấn Phú Lạc",
        "applied_work": "Bảo vệ môi trường, thu gom và xử lý rác thải sinh hoạt ở khu dân cư.",
        "results": (
            "4.870 hộ tham gia; khối lượng rác phải chôn lấp giảm khoảng 27%; các chi hội thu được 186 triệu "
            "đồng từ bán phế liệu, hỗ trợ 52 hội viên khó khăn."
        ),
    },
    {
        "kind": "initiative",
        "field": "ethnic_religious_overseas",
        "unit": "hlhpn_tinh",
        "title": (
            "Tuyên truyền pháp luật về hôn nhân và gia đình bằng tiếng Mông qua loa truyền thanh và video "
            "ngắn"
        ),
        "lead_author": "Sùng Thị Mai",
        "co_authors": ["Vàng Thị Dua", "Giàng A Sình"],
        "summary": (
            "Biên soạn 24 bản tin, 18 video ngắn bằng tiếng Mông về tảo hôn, hôn nhân cận huyết thống, bạo "
            "lực gia đình, do chính hội viên người Mông thể hiện. Sản phẩm được phát trên loa truyền thanh "
            "của bản và chia sẻ qua các nhóm mạng xã hội của bản."
        ),
        "novelty": (
            "Nội dung pháp luật được chuyển thành câu chuyện gần gũi bằng tiếng mẹ đẻ, người dân nghe, xem "
            "được nhiều lần, thay cho việc đọc văn bản bằng tiếng phổ thông tại các cuộc họp."
        ),
        "applied_time": "Từ tháng 9/2023 đến nay",
        "applied_place": "17 bản có đông đồng bào Mông thuộc huyện Vân Khê",
        "applied_work": "Tuyên truyền, phổ biến pháp luật, phòng chống tảo hôn và hôn nhân cận huyết thống.",
        "results": (
            "Số cặp tảo hôn trên địa bàn giảm từ 19 cặp (năm 2023) xuống 6 cặp (năm 2024); không phát sinh "
            "trường hợp hôn nhân cận huyết thống; các video có hơn 85.000 lượt xem."
        ),
    },
    {
        "kind": "model",
        "field": "ethnic_religious_overseas",
        "unit": "hlhpn_tinh",
        "title": "Mô hình “Phụ nữ dân tộc Thái giữ gìn nghề dệt thổ cẩm gắn với du lịch cộng đồng”",
        "lead_author": "Hà Thị Ngân",
        "co_authors": ["Vi Thị Xuân"],
        "summary": (
            "Thành lập tổ hợp tác dệt thổ cẩm gồm 36 chị em người Thái, khôi phục các hoa văn truyền thống "
            "và thiết kế thêm sản phẩm lưu niệm phù hợp thị hiếu du khách. Tổ hợp tác phối hợp với các "
            "homestay trong bản tổ chức cho khách du lịch trải nghiệm dệt vải."
        ),
        "novelty": (
            "Nghề dệt truyền thống được gắn với dịch vụ du lịch trải nghiệm, tạo thu nhập thường xuyên cho "
            "phụ nữ ngay tại bản."
        ),
        "applied_time": "Từ tháng 3/2023 đến nay",
        "applied_place": "Bản Nà Lòng, xã Nậm Khao, huyện Vân Khê",
        "applied_work": "Bảo tồn văn hóa truyền thống, phát triển sinh kế cho phụ nữ dân tộc thiểu số.",
        "results": (
            "Thu nhập bình quân của thành viên tăng thêm 2,8 triệu đồng/tháng; năm 2024 bản đón hơn 4.200 "
            "lượt khách; 14 mẫu sản phẩm được trưng bày tại các hội chợ trong và ngoài tỉnh."
        ),
    },
    {
        "kind": "new_idea",
        "field": "business",
        "unit": "hlhpn_tinh",
        "title": "Ý tưởng “Tổ tiết kiệm, vay vốn xoay vòng quản lý bằng ví điện tử” cho hội viên phụ nữ",
        "lead_author": "Phùng Thị Hạnh",
        "co_authors": ["Trần Thị Bích Loan"],
        "summary": (
            "Chuyển việc góp tiết kiệm, cho vay xoay vòng trong tổ phụ nữ từ ghi sổ tay sang ví điện tử của "
            "tổ; mọi khoản góp, vay, trả đều được thông báo tự động cho các thành viên. Ban Chấp hành chi "
            "hội giám sát qua ứng dụng."
        ),
        "novelty": (
            "Bảo đảm công khai, minh bạch, tránh thất thoát và tranh chấp vốn trong tổ tiết kiệm, điều mà "
            "cách ghi sổ thủ công khó bảo đảm."
        ),
        "applied_time": "Thử nghiệm từ tháng 1/2025",
        "applied_place": "03 chi hội phụ nữ thuộc huyện Hòa Phong",
        "applied_work": "Hỗ trợ hội viên phụ nữ tiếp cận vốn phát triển kinh tế gia đình.",
        "results": (
            "03 tổ với 58 thành viên đang thử nghiệm, quay vòng 146 triệu đồng; chưa đủ thời gian để đánh "
            "giá hiệu quả."
        ),
    },
    {
        "kind": "initiative",
        "field": "political_system",
        "unit": "hlhpn_tinh",
        "title": (
            "Kết nối mạng lưới “Địa chỉ tin cậy” phòng, chống bạo lực gia đình qua kênh Zalo của Hội Liên "
            "hiệp Phụ nữ tỉnh"
        ),
        "lead_author": "Lê Thị Thu Hà",
        "co_authors": ["Dương Thị Kiều Trang", "Hà Thị Ngân"],
        "summary": (
            "Tích hợp danh sách, số điện thoại, vị trí của 210 “Địa chỉ tin cậy” ở cộng đồng vào kênh Zalo "
            "của Hội, cho phép phụ nữ, trẻ em bị bạo lực hoặc người phát hiện gửi tin báo kèm định vị. Tin "
            "báo được chuyển ngay đến cán bộ Hội và công an xã gần nhất."
        ),
        "novelty": (
            "Trước đây người bị bạo lực phải tự tìm đến địa chỉ tin cậy; nay tin báo được tiếp nhận 24/7, có "
            "quy trình chuyển tiếp và theo dõi kết quả xử lý."
        ),
        "applied_time": "Từ tháng 11/2023 đến nay",
        "applied_place": "Toàn tỉnh An Hòa",
        "applied_work": "Phòng, chống bạo lực gia đình, bảo vệ phụ nữ và trẻ em.",
        "results": (
            "Tiếp nhận 134 tin báo, 100% được xác minh trong vòng 24 giờ; hỗ trợ tạm lánh cho 41 phụ nữ, trẻ "
            "em; 18 vụ việc được chuyển cơ quan chức năng xử lý."
        ),
    },
    # Hội Cựu chiến binh tỉnh An Hòa
    {
        "kind": "model",
        "field": "political_system",
        "unit": "hccb_tinh",
        "title": "Mô hình “Cựu chiến binh tham gia hòa giải ở cơ sở”",
        "lead_author": "Nguyễn Hữu Tâm",
        "co_authors": ["Phạm Văn Thụ", "Lê Bá Thành"],
        "summary": (
            "Mỗi chi hội cựu chiến binh cử 1–2 hội viên có uy tín tham gia tổ hòa giải ở thôn, tổ dân phố. "
            "Cựu chiến binh chủ động nắm tình hình, hòa giải các mâu thuẫn về đất đai, ranh giới, hôn nhân "
            "và gia đình ngay từ khi mới phát sinh."
        ),
        "novelty": (
            "Phát huy uy tín, kinh nghiệm của cựu chiến binh để hòa giải từ sớm, từ cơ sở, hạn chế đơn thư "
            "vượt cấp."
        ),
        "applied_time": "Từ tháng 1/2023 đến nay",
        "applied_place": "214 thôn, tổ dân phố thuộc các huyện Phú Lạc, Hòa Phong, Thanh Lương",
        "applied_work": "Hòa giải ở cơ sở, giữ gìn đoàn kết trong cộng đồng dân cư.",
        "results": (
            "Tham gia hòa giải 356 vụ việc, hòa giải thành 312 vụ (87,6%); số đơn thư vượt cấp tại các địa "
            "bàn áp dụng giảm 34% so với năm 2022."
        ),
    },
    {
        "kind": "initiative",
        "field": "armed_forces",
        "unit": "hccb_tinh",
        "title": (
            "Xây dựng cơ sở dữ liệu số về phần mộ liệt sĩ chưa xác định được danh tính để hỗ trợ thân nhân "
            "tìm kiếm"
        ),
        "lead_author": "Hoàng Đình Kiên",
        "co_authors": ["Trần Quang Hưng", "Đinh Văn Nghĩa"],
        "summary": (
            "Hội viên cựu chiến binh chụp ảnh, số hóa thông tin từng phần mộ liệt sĩ chưa xác định được danh "
            "tính tại các nghĩa trang trong tỉnh, đối chiếu với hồ sơ đơn vị và lời kể của đồng đội. Dữ liệu "
            "được công bố trên trang thông tin điện tử của Hội để thân nhân tra cứu."
        ),
        "novelty": (
            "Lần đầu tiên thông tin phần mộ liệt sĩ chưa xác định danh tính của cả tỉnh được tập hợp, tra "
            "cứu trực tuyến và kết nối với ký ức của đồng đội còn sống."
        ),
        "applied_time": "Từ tháng 7/2022 đến nay",
        "applied_place": "11 nghĩa trang liệt sĩ trên địa bàn tỉnh An Hòa",
        "applied_work": (
            "Công tác tìm kiếm, xác định thông tin liệt sĩ, chăm lo chính sách hậu phương quân đội."
        ),
        "results": (
            "Đã số hóa thông tin 2.140 phần mộ; hỗ trợ 37 gia đình xác định được thông tin phần mộ thân "
            "nhân, trong đó 9 trường hợp đã được giám định ADN khẳng định."
        ),
    },
    {
        "kind": "model",
        "field": "business",
        "unit": "hccb_tinh",
        "title": "Mô hình “Câu lạc bộ doanh nhân cựu chiến binh giúp nhau phát triển kinh tế”",
        "lead_author": "Trần Quang Hưng",
        "co_authors": ["Vũ Văn Bình"],
        "summary": (
            "Câu lạc bộ tập hợp 58 chủ doanh nghiệp, chủ trang trại là cựu chiến binh, định kỳ chia sẻ kinh "
            "nghiệm sản xuất, kinh doanh và nhận giúp đỡ hội viên khó khăn bằng vốn, giống, việc làm."
        ),
        "novelty": (
            "Chuyển từ tặng quà sang giúp đỡ bằng sinh kế, có theo dõi đến khi hộ được giúp ổn định cuộc "
            "sống."
        ),
        "applied_time": "Từ năm 2021 đến nay",
        "applied_place": "Các huyện, thành phố trong tỉnh An Hòa",
        "applied_work": "Phát triển kinh tế, giảm nghèo trong hội viên cựu chiến binh.",
        "results": (
            "Các thành viên đã giúp 64 hộ hội viên thoát nghèo, cho mượn không lấy lãi 3,2 tỷ đồng; tạo việc "
            "làm cho 420 lao động, trong đó có 95 con, cháu cựu chiến binh."
        ),
    },
    {
        "kind": "model",
        "field": "ethnic_religious_overseas",
        "unit": "hccb_tinh",
        "title": "Mô hình “Giáo xứ bình yên” do chi hội cựu chiến binh giáo dân làm nòng cốt",
        "lead_author": "Phạm Văn Thụ",
        "co_authors": ["Đinh Văn Nghĩa"],
        "summary": (
            "Chi hội cựu chiến binh trong giáo xứ phối hợp với linh mục quản xứ, hội đồng mục vụ tuyên "
            "truyền giáo dân chấp hành pháp luật, tham gia giữ gìn an ninh trật tự, vệ sinh môi trường và "
            "giúp đỡ gia đình khó khăn."
        ),
        "novelty": (
            "Cựu chiến binh là giáo dân làm cầu nối giữa chức sắc, giáo dân với cấp ủy, chính quyền, thực "
            "hiện phương châm “sống tốt đời, đẹp đạo”."
        ),
        "applied_time": "Từ tháng 6/2022 đến nay",
        "applied_place": "Giáo xứ Phú Hòa, thị trấn Phú Lạc, huyện Phú Lạc",
        "applied_work": (
            "Vận động đồng bào Công giáo tham gia xây dựng đời sống văn hóa, giữ gìn an ninh trật tự."
        ),
        "results": (
            "Ba năm liền giáo xứ không có tội phạm, tệ nạn xã hội; giáo dân đóng góp 1,6 tỷ đồng và 2.300 "
            "ngày công làm 3,2 km đường giao thông nông thôn."
        ),
    },
    {
        "kind": "new_idea",
        "field": "political_system",
        "unit": "hccb_tinh",
        "title": "Ý tưởng “Lưu giữ lời kể nhân chứng lịch sử bằng podcast”",
        "lead_author": "Lê Bá Thành",
        "co_authors": [],
        "summary": (
            "Ghi âm, biên tập lời kể của các cựu chiến binh về những trận đánh, kỷ niệm chiến trường thành "
            "các số podcast để giáo dục truyền thống cho thế hệ trẻ."
        ),
        "novelty": "Sử dụng hình thức truyền thông mới để giáo dục truyền thống.",
        "applied_time": "Năm 2025",
        "applied_place": "Hội Cựu chiến binh tỉnh An Hòa",
        "applied_work": "Giáo dục truyền thống cách mạng cho thế hệ trẻ.",
        "results": "Đã ghi âm thử một số buổi kể chuyện; được hội viên và đoàn viên thanh niên đánh giá cao.",
    },
    # Công ty Cổ phần May Hòa Phong
    {
        "kind": "initiative",
        "field": "business",
        "unit": "cty_may_hoa_phong",
        "title": "Cải tiến cữ gá may túi áo sơ mi, giảm thao tác thủ công trên chuyền may",
        "lead_author": "Lê Văn Tài",
        "co_authors": ["Kiều Văn Toàn"],
        "summary": (
            "Thiết kế bộ cữ gá bằng nhôm và nhựa gắn trên máy may, giúp công nhân định vị, gấp mép túi áo "
            "một lần thay vì ủi gấp thủ công trước khi may. Bộ cữ gá điều chỉnh được theo 6 cỡ túi khác nhau."
        ),
        "novelty": (
            "Bỏ được công đoạn ủi gấp túi riêng; công nhân mới vào nghề cũng may đạt chất lượng đồng đều."
        ),
        "applied_time": "Từ tháng 8/2023 đến nay",
        "applied_place": "12 chuyền may áo sơ mi, Công ty Cổ phần May Hòa Phong",
        "applied_work": "Công đoạn may túi áo sơ mi trên chuyền may.",
        "results": (
            "Năng suất công đoạn tăng 22%, tỷ lệ lỗi giảm từ 3,1% xuống 0,8%; tiết kiệm khoảng 640 triệu "
            "đồng/năm với chi phí chế tạo 48 triệu đồng."
        ),
    },
    {
        "kind": "initiative",
        "field": "business",
        "unit": "cty_may_hoa_phong",
        "title": "Theo dõi năng suất chuyền may theo thời gian thực bằng mã vạch và bảng điện tử",
        "lead_author": "Trần Minh Châu",
        "co_authors": ["Hoàng Anh Dũng", "Phạm Thị Ngọc Hân"],
        "summary": (
            "Mỗi bó hàng được gắn mã vạch; công nhân quét mã khi hoàn thành công đoạn, số liệu hiển thị trên "
            "bảng điện tử cuối chuyền và trên điện thoại của tổ trưởng. Hệ thống tự cảnh báo công đoạn bị ùn "
            "tắc để điều chuyển lao động kịp thời."
        ),
        "novelty": (
            "Thay cho thống kê sản lượng bằng tay vào cuối ca, tổ trưởng nắm tình hình từng giờ; tiền lương "
            "sản phẩm của công nhân được tính tự động, công khai."
        ),
        "applied_time": "Từ tháng 1/2024 đến nay",
        "applied_place": "Công ty Cổ phần May Hòa Phong, Khu công nghiệp Hòa Phong",
        "applied_work": "Quản lý sản xuất, cân bằng chuyền và tính lương sản phẩm.",
        "results": (
            "Năng suất bình quân toàn công ty tăng 11%; thời gian tính lương hằng tháng giảm từ 5 ngày xuống "
            "1 ngày; khiếu nại về tiền lương sản phẩm giảm từ 40 xuống 3 trường hợp/năm."
        ),
    },
    {
        "kind": "model",
        "field": "business",
        "unit": "cty_may_hoa_phong",
        "title": "Mô hình “Nhóm trẻ trong khuôn viên doanh nghiệp” chăm sóc con công nhân",
        "lead_author": "Nguyễn Thị Thùy Dung",
        "co_authors": ["Đoàn Thị Mỹ Linh"],
        "summary": (
            "Công ty phối hợp với công đoàn cơ sở cải tạo 600 m² nhà kho thành nhóm trẻ đạt chuẩn, nhận "
            "trông con công nhân từ 6 đến 36 tháng tuổi theo giờ làm việc của ca. Công ty hỗ trợ 50% học "
            "phí, công đoàn hỗ trợ đồ dùng, sữa cho các cháu có hoàn cảnh khó khăn."
        ),
        "novelty": (
            "Giờ đón, trả trẻ khớp với ca sản xuất; lao động nữ yên tâm đi làm sau thời gian nghỉ thai sản, "
            "không phải gửi con về quê."
        ),
        "applied_time": "Từ tháng 9/2022 đến nay",
        "applied_place": "Công ty Cổ phần May Hòa Phong",
        "applied_work": "Chăm lo lao động nữ, giữ chân người lao động.",
        "results": (
            "Nhóm trẻ nhận trông 180 cháu; tỷ lệ lao động nữ nghỉ việc sau thai sản giảm từ 35% xuống 9%; "
            "công ty tiết kiệm chi phí tuyển dụng, đào tạo lại ước khoảng 1,1 tỷ đồng/năm."
        ),
    },
    {
        "kind": "initiative",
        "field": "business",
        "unit": "cty_may_hoa_phong",
        "title": "Tận dụng vải vụn sản xuất sản phẩm tái chế",
        "lead_author": "Đoàn Thị Mỹ Linh",
        "co_authors": [],
        "summary": (
            "Thu gom vải vụn sau khâu cắt để may túi, thảm lau chân và một số sản phẩm gia dụng. Sản phẩm "
            "được bán cho công nhân và khách hàng của công ty."
        ),
        "novelty": "Góp phần giảm lượng chất thải của doanh nghiệp.",
        "applied_time": "Năm 2024",
        "applied_place": "Xưởng cắt, Công ty Cổ phần May Hòa Phong",
        "applied_work": "Xử lý phế liệu trong sản xuất may mặc.",
        "results": "Giảm được một phần lượng vải vụn phải xử lý, tạo thêm thu nhập cho một số công nhân.",
    },
    {
        "kind": "new_idea",
        "field": "business",
        "unit": "cty_may_hoa_phong",
        "title": "Ý tưởng “Điện mặt trời áp mái kết hợp thu gom nước mưa tại nhà xưởng”",
        "lead_author": "Hoàng Anh Dũng",
        "co_authors": ["Trần Minh Châu"],
        "summary": (
            "Lắp đặt hệ thống điện mặt trời áp mái công suất 1,2 MWp trên 14.000 m² mái nhà xưởng, đồng thời "
            "tận dụng máng mái để thu gom nước mưa phục vụ tưới cây, vệ sinh nhà xưởng và hệ thống làm mát."
        ),
        "novelty": (
            "Kết hợp hai giải pháp trên cùng một kết cấu mái, giảm chi phí đầu tư so với làm riêng lẻ và đáp "
            "ứng yêu cầu sản xuất xanh của khách hàng nhập khẩu."
        ),
        "applied_time": "Đã hoàn thành khảo sát, dự kiến triển khai trong quý IV/2025",
        "applied_place": "Nhà xưởng Công ty Cổ phần May Hòa Phong",
        "applied_work": "Tiết kiệm năng lượng, sử dụng tài nguyên hiệu quả trong sản xuất.",
        "results": (
            "Theo tính toán của đơn vị tư vấn, hệ thống có thể tiết kiệm khoảng 1,9 tỷ đồng tiền điện và "
            "6.500 m³ nước mỗi năm, thời gian hoàn vốn khoảng 6 năm."
        ),
    },
    # Bệnh viện Đa khoa tỉnh An Hòa
    {
        "kind": "initiative",
        "field": "public_service",
        "unit": "bvdk_tinh",
        "title": "Ứng dụng đặt lịch khám, lấy số thứ tự từ xa trên điện thoại di động",
        "lead_author": "Trần Quốc Việt",
        "co_authors": ["Võ Minh Trí", "Đặng Ngọc Quỳnh"],
        "summary": (
            "Bệnh viện xây dựng ứng dụng và kênh Zalo OA cho phép người bệnh chọn chuyên khoa, khung giờ "
            "khám, nhận số thứ tự và được nhắc khi sắp đến lượt. Dữ liệu đặt lịch liên thông với phần mềm "
            "quản lý bệnh viện để phân bổ bàn khám theo từng khung giờ."
        ),
        "novelty": (
            "Người bệnh không phải đến xếp hàng lấy số từ sáng sớm; bệnh viện chủ động điều phối nhân lực "
            "theo số lượng đặt lịch trước."
        ),
        "applied_time": "Từ tháng 2/2024 đến nay",
        "applied_place": "Khoa Khám bệnh, Bệnh viện Đa khoa tỉnh An Hòa",
        "applied_work": "Tiếp đón, khám bệnh ngoại trú.",
        "results": (
            "41% lượt khám được đặt lịch trước; thời gian chờ khám trung bình giảm từ 2,5 giờ xuống 50 phút; "
            "tỷ lệ hài lòng của người bệnh ngoại trú tăng từ 82% lên 94%."
        ),
    },
    {
        "kind": "initiative",
        "field": "public_service",
        "unit": "bvdk_tinh",
        "title": "Thanh toán viện phí không dùng tiền mặt bằng mã QR tại quầy và tại giường bệnh",
        "lead_author": "Nguyễn Thị Thanh Huyền",
        "co_authors": ["Bùi Thị Hoài Thương"],
        "summary": (
            "Mỗi hóa đơn, phiếu tạm ứng được in kèm mã QR động chứa số tiền và mã người bệnh; người nhà quét "
            "mã để thanh toán, hệ thống tự đối soát với ngân hàng. Điều dưỡng dùng máy tính bảng để người "
            "bệnh nội trú tạm ứng, thanh toán ngay tại giường."
        ),
        "novelty": (
            "Kế toán không phải nhập tay để đối soát; người nhà người bệnh không phải xếp hàng nộp tiền tại "
            "quầy thu ngân."
        ),
        "applied_time": "Từ tháng 6/2024 đến nay",
        "applied_place": "Bệnh viện Đa khoa tỉnh An Hòa",
        "applied_work": "Thu viện phí, tạm ứng và thanh toán chi phí khám bệnh, chữa bệnh.",
        "results": (
            "62% giao dịch thu viện phí được thanh toán không dùng tiền mặt; giảm 4 vị trí thu ngân, tương "
            "đương khoảng 420 triệu đồng/năm; không còn chênh lệch quỹ tiền mặt."
        ),
    },
    {
        "kind": "model",
        "field": "ethnic_religious_overseas",
        "unit": "bvdk_tinh",
        "title": (
            "Mô hình “Bếp ăn yêu thương” phối hợp với các cơ sở tôn giáo nấu cơm miễn phí cho người bệnh "
            "nghèo"
        ),
        "lead_author": "Châu Thị Ngọc Mai",
        "co_authors": ["Hà Văn Sáng"],
        "summary": (
            "Phòng Công tác xã hội của bệnh viện làm đầu mối kết nối các chùa, giáo xứ, hội thánh và nhà hảo "
            "tâm luân phiên nấu, phát suất ăn miễn phí cho người bệnh nghèo, người bệnh dân tộc thiểu số "
            "điều trị nội trú. Bệnh viện bố trí bếp, khu vực phát cơm và xác nhận đối tượng được hỗ trợ."
        ),
        "novelty": (
            "Các cơ sở tôn giáo khác nhau cùng tham gia theo lịch phân công cố định, bảo đảm có suất ăn tất "
            "cả các ngày trong tuần, kể cả ngày lễ, Tết."
        ),
        "applied_time": "Từ tháng 3/2022 đến nay",
        "applied_place": "Bệnh viện Đa khoa tỉnh An Hòa",
        "applied_work": "Công tác xã hội, hỗ trợ người bệnh có hoàn cảnh khó khăn.",
        "results": (
            "Mỗi ngày phát 350–400 suất ăn; tổng cộng hơn 390.000 suất ăn, trị giá khoảng 7,8 tỷ đồng, với "
            "sự tham gia của 9 cơ sở tôn giáo và 46 nhóm thiện nguyện."
        ),
    },
    {
        "kind": "initiative",
        "field": "public_service",
        "unit": "bvdk_tinh",
        "title": "Quy trình “báo động đỏ” liên thông cấp cứu người bệnh đột quỵ từ tuyến huyện",
        "lead_author": "Lê Hoàng Nam",
        "co_authors": ["Trần Quốc Việt", "Phạm Thị Diệu Linh"],
        "summary": (
            "Lập nhóm liên lạc trực tuyến giữa Bệnh viện Đa khoa tỉnh và 7 trung tâm y tế huyện; khi tiếp "
            "nhận người bệnh nghi đột quỵ, tuyến huyện gửi thông tin, hình ảnh để Đơn vị Đột quỵ chuẩn bị "
            "sẵn phòng chụp và thuốc tiêu sợi huyết trước khi người bệnh được chuyển đến."
        ),
        "novelty": (
            "Người bệnh chuyển lên được đưa thẳng vào phòng chụp cắt lớp vi tính, không phải qua khâu tiếp "
            "đón thông thường tại Khoa Cấp cứu."
        ),
        "applied_time": "Từ tháng 10/2023 đến nay",
        "applied_place": "Bệnh viện Đa khoa tỉnh và các trung tâm y tế huyện trong tỉnh",
        "applied_work": "Cấp cứu, điều trị tái thông mạch máu cho người bệnh đột quỵ não.",
        "results": (
            "Thời gian từ khi vào viện đến khi dùng thuốc tiêu sợi huyết giảm từ 75 phút xuống 48 phút; tỷ "
            "lệ người bệnh được điều trị tái thông tăng từ 6% lên 14%."
        ),
    },
    {
        "kind": "initiative",
        "field": "public_service",
        "unit": "bvdk_tinh",
        "title": "Bảng kiểm điện tử đánh giá nguy cơ té ngã ở người bệnh cao tuổi điều trị nội trú",
        "lead_author": "Phạm Thị Diệu Linh",
        "co_authors": ["Bùi Thị Hoài Thương"],
        "summary": (
            "Chuyển bảng kiểm đánh giá nguy cơ té ngã từ giấy sang biểu mẫu điện tử trên phần mềm điều "
            "dưỡng, tự động tính điểm và gợi ý biện pháp phòng ngừa. Áp dụng cho người bệnh từ 65 tuổi trở "
            "lên."
        ),
        "novelty": (
            "Điều dưỡng không phải tự tính điểm; kết quả đánh giá được lưu trong hồ sơ bệnh án điện tử."
        ),
        "applied_time": "Từ tháng 4/2024 đến nay",
        "applied_place": "Khoa Nội tổng hợp và Khoa Lão khoa, Bệnh viện Đa khoa tỉnh An Hòa",
        "applied_work": "Chăm sóc điều dưỡng, phòng ngừa sự cố y khoa.",
        "results": (
            "Số sự cố té ngã được báo cáo giảm từ 14 xuống 9 trường hợp so với cùng kỳ; thời gian đánh giá "
            "mỗi người bệnh giảm khoảng 3 phút."
        ),
    },
    {
        "kind": "new_idea",
        "field": "public_service",
        "unit": "bvdk_tinh",
        "title": "Ý tưởng “Khám, tư vấn từ xa hỗ trợ trạm y tế xã vùng biên giới”",
        "lead_author": "Võ Minh Trí",
        "co_authors": ["Hà Văn Sáng", "Lê Hoàng Nam"],
        "summary": (
            "Trang bị cho trạm y tế xã biên giới bộ thiết bị gồm camera, ống nghe và máy điện tim kết nối "
            "mạng để bác sĩ bệnh viện tỉnh hội chẩn, tư vấn điều trị trực tuyến. Trường hợp phức tạp được "
            "hướng dẫn chuyển tuyến kịp thời."
        ),
        "novelty": (
            "Người dân vùng biên giới được bác sĩ tuyến tỉnh tư vấn ngay tại trạm y tế, không phải đi hơn "
            "100 km lên bệnh viện tỉnh."
        ),
        "applied_time": "Thử nghiệm từ tháng 12/2024",
        "applied_place": "Trạm Y tế xã Nậm Khao, huyện Vân Khê",
        "applied_work": "Khám bệnh, chữa bệnh và chuyển tuyến cho người dân vùng biên giới.",
        "results": (
            "Sau 4 tháng thử nghiệm đã hội chẩn trực tuyến 63 ca, trong đó 41 ca được điều trị tại trạm, "
            "không phải chuyển tuyến."
        ),
    },
    # Trường Trung học phổ thông chuyên An Hòa
    {
        "kind": "initiative",
        "field": "public_service",
        "unit": "thpt_chuyen",
        "title": "Dạy học theo dự án STEM gắn với sản phẩm nông nghiệp địa phương",
        "lead_author": "Nguyễn Thị Phương Nhàn",
        "co_authors": ["Lê Quang Duy", "Vương Thị Thu Trang"],
        "summary": (
            "Giáo viên các môn Sinh học, Hóa học, Công nghệ thiết kế chuỗi dự án để học sinh nghiên cứu, chế "
            "tạo sản phẩm từ nông sản của tỉnh như máy sấy bưởi dùng năng lượng mặt trời, chế phẩm bảo quản "
            "quả tươi. Học sinh trình bày sản phẩm trước hợp tác xã và cha mẹ học sinh."
        ),
        "novelty": (
            "Kiến thức liên môn được vận dụng để giải quyết vấn đề thực tế của địa phương; học sinh làm việc "
            "trực tiếp với người sản xuất."
        ),
        "applied_time": "Năm học 2023–2024 và năm học 2024–2025",
        "applied_place": "Trường Trung học phổ thông chuyên An Hòa",
        "applied_work": "Dạy học các môn khoa học tự nhiên và hoạt động trải nghiệm, hướng nghiệp.",
        "results": (
            "Thực hiện 18 dự án với 540 học sinh tham gia; 3 sản phẩm đạt giải Cuộc thi khoa học kỹ thuật "
            "cấp tỉnh, 1 sản phẩm được hợp tác xã ứng dụng vào sản xuất."
        ),
    },
    {
        "kind": "initiative",
        "field": "public_service",
        "unit": "thpt_chuyen",
        "title": "Ngân hàng câu hỏi trực tuyến tự chấm điểm và phân tích lỗi sai của học sinh",
        "lead_author": "Lê Quang Duy",
        "co_authors": ["Phan Minh Đức"],
        "summary": (
            "Tổ Toán – Tin xây dựng ngân hàng 6.800 câu hỏi theo ma trận kiến thức; học sinh làm bài trên "
            "nền tảng trực tuyến, hệ thống tự chấm và thống kê lỗi sai theo từng chủ đề. Giáo viên căn cứ "
            "báo cáo để giao bài tập bổ trợ phù hợp với từng học sinh."
        ),
        "novelty": (
            "Giáo viên biết chính xác học sinh hổng kiến thức ở đâu thay vì chỉ biết điểm số; việc chấm bài "
            "kiểm tra thường xuyên không còn tốn nhiều thời gian."
        ),
        "applied_time": "Từ học kỳ II năm học 2023–2024 đến nay",
        "applied_place": (
            "Trường Trung học phổ thông chuyên An Hòa và 4 trường trung học phổ thông thuộc thành phố An Hòa"
        ),
        "applied_work": "Kiểm tra, đánh giá thường xuyên và phụ đạo học sinh.",
        "results": (
            "Giáo viên tiết kiệm bình quân 5 giờ/tuần chấm bài; tỷ lệ học sinh đạt điểm khá, giỏi môn Toán ở "
            "các lớp áp dụng cao hơn 12% so với lớp đối chứng."
        ),
    },
    {
        "kind": "model",
        "field": "public_service",
        "unit": "thpt_chuyen",
        "title": "Mô hình “Câu lạc bộ học sinh hỗ trợ tâm lý bạn đồng trang lứa”",
        "lead_author": "Trần Thị Hồng Vân",
        "co_authors": ["Đỗ Thị Thanh Bình"],
        "summary": (
            "Nhà trường tuyển chọn, tập huấn 40 học sinh làm “người lắng nghe”, phát hiện sớm bạn bè có dấu "
            "hiệu căng thẳng, bị bắt nạt để kết nối với giáo viên tư vấn. Câu lạc bộ duy trì hộp thư “Điều "
            "em muốn nói” và các buổi sinh hoạt chuyên đề hằng tháng."
        ),
        "novelty": (
            "Học sinh dễ chia sẻ với bạn cùng lứa hơn với giáo viên; tư vấn tâm lý trở thành hoạt động "
            "thường xuyên chứ không chỉ khi đã có sự việc."
        ),
        "applied_time": "Từ năm học 2023–2024 đến nay",
        "applied_place": "Trường Trung học phổ thông chuyên An Hòa",
        "applied_work": "Tư vấn tâm lý học đường, phòng chống bạo lực học đường.",
        "results": (
            "Đã hỗ trợ, kết nối tư vấn cho 126 lượt học sinh; không xảy ra vụ bạo lực học đường; 91% học "
            "sinh được khảo sát cho biết cảm thấy an toàn hơn ở trường."
        ),
    },
    {
        "kind": "initiative",
        "field": "public_service",
        "unit": "thpt_chuyen",
        "title": "Một số biện pháp hướng dẫn học sinh nghiên cứu khoa học theo nhóm liên môn",
        "lead_author": "Phan Minh Đức",
        "co_authors": [],
        "summary": (
            "Tổng hợp một số biện pháp giáo viên hướng dẫn học sinh lựa chọn đề tài, lập kế hoạch nghiên cứu "
            "và viết báo cáo khoa học theo nhóm liên môn."
        ),
        "novelty": "Hệ thống hóa kinh nghiệm hướng dẫn học sinh nghiên cứu khoa học của tác giả.",
        "applied_time": "Năm học 2024–2025",
        "applied_place": "Trường Trung học phổ thông chuyên An Hòa",
        "applied_work": "Hướng dẫn học sinh nghiên cứu khoa học kỹ thuật.",
        "results": (
            "Học sinh hứng thú hơn với nghiên cứu khoa học, chất lượng các đề tài từng bước được nâng lên."
        ),
    },
    # Bộ Chỉ huy Bộ đội Biên phòng tỉnh An Hòa
    {
        "kind": "model",
        "field": "armed_forces",
        "unit": "bdbp_tinh",
        "title": "Mô hình “Tổ tự quản đường biên, cột mốc” có người dân và người có uy tín tham gia",
        "lead_author": "Nguyễn Văn Khoa",
        "co_authors": ["Lò Văn Thanh", "Vi Văn Hùng"],
        "summary": (
            "Các đồn biên phòng vận động hộ gia đình ở bản giáp biên nhận tự quản từng đoạn đường biên, cột "
            "mốc; tổ tự quản cùng bộ đội biên phòng tuần tra định kỳ, phát hiện và thông báo kịp thời các "
            "hành vi vi phạm quy chế khu vực biên giới."
        ),
        "novelty": (
            "Người dân trở thành “tai mắt” thường xuyên trên tuyến biên giới, được tập huấn và có cơ chế "
            "thông tin nhanh với đồn biên phòng."
        ),
        "applied_time": "Từ năm 2022 đến nay",
        "applied_place": "8 xã biên giới thuộc huyện Vân Khê",
        "applied_work": "Quản lý, bảo vệ chủ quyền lãnh thổ, an ninh biên giới quốc gia.",
        "results": (
            "Thành lập 46 tổ với 512 hộ tham gia, tự quản 96 km đường biên và 54 cột mốc; người dân cung cấp "
            "87 nguồn tin có giá trị, giúp phát hiện, xử lý 23 vụ vi phạm."
        ),
    },
    {
        "kind": "initiative",
        "field": "armed_forces",
        "unit": "bdbp_tinh",
        "title": "Ứng dụng bản đồ số và thiết bị định vị cầm tay trong tuần tra, kiểm soát biên giới",
        "lead_author": "Hoàng Trung Kiên",
        "co_authors": ["Phạm Đức Mạnh"],
        "summary": (
            "Số hóa tuyến tuần tra, vị trí cột mốc, đường mòn, lối mở trên bản đồ số; tổ tuần tra mang thiết "
            "bị định vị ghi nhận lộ trình, hình ảnh hiện trạng và gửi về đồn qua mạng di động hoặc thiết bị "
            "vệ tinh khi mất sóng."
        ),
        "novelty": (
            "Chỉ huy đồn theo dõi được lộ trình tuần tra thực tế; dữ liệu hiện trạng cột mốc được lưu trữ, "
            "so sánh qua từng đợt thay cho ghi chép sổ tay."
        ),
        "applied_time": "Từ tháng 5/2023 đến nay",
        "applied_place": "Các đồn biên phòng thuộc Bộ Chỉ huy Bộ đội Biên phòng tỉnh An Hòa",
        "applied_work": "Tuần tra, kiểm soát, quản lý đường biên giới và hệ thống mốc quốc giới.",
        "results": (
            "Thời gian lập báo cáo sau mỗi đợt tuần tra giảm khoảng 70%; phát hiện kịp thời 12 vị trí cột "
            "mốc, cọc dấu bị ảnh hưởng do sạt lở để đề xuất tu bổ."
        ),
    },
    {
        "kind": "model",
        "field": "armed_forces",
        "unit": "bdbp_tinh",
        "title": "Mô hình “Nâng bước em tới trường – Con nuôi đồn biên phòng”",
        "lead_author": "Lê Văn Cường",
        "co_authors": ["Trần Xuân Bắc"],
        "summary": (
            "Cán bộ, chiến sĩ các đồn biên phòng nhận đỡ đầu học sinh nghèo, mồ côi ở các bản biên giới, hỗ "
            "trợ 500.000 đồng/tháng và theo dõi việc học tập đến khi học xong trung học phổ thông. Một số em "
            "được nuôi dưỡng ngay tại đồn."
        ),
        "novelty": (
            "Gắn trách nhiệm của từng cán bộ, chiến sĩ với từng em học sinh, góp phần củng cố lòng tin của "
            "đồng bào với bộ đội biên phòng."
        ),
        "applied_time": "Từ năm 2021 đến nay",
        "applied_place": "Các xã biên giới huyện Vân Khê",
        "applied_work": "Công tác dân vận, bảo đảm an sinh xã hội ở khu vực biên giới.",
        "results": (
            "Đỡ đầu 94 học sinh với tổng kinh phí hơn 2,1 tỷ đồng; 100% các em duy trì việc học, 11 em đã đỗ "
            "cao đẳng, đại học."
        ),
    },
    {
        "kind": "model",
        "field": "ethnic_religious_overseas",
        "unit": "bdbp_tinh",
        "title": "Mô hình “Lớp học xóa mù chữ” cho đồng bào Mông do bộ đội biên phòng đứng lớp",
        "lead_author": "Vi Văn Hùng",
        "co_authors": ["Nguyễn Tiến Lực"],
        "summary": (
            "Cán bộ biên phòng biết tiếng Mông mở lớp xóa mù chữ buổi tối tại nhà văn hóa bản, lồng ghép dạy "
            "chữ với tuyên truyền pháp luật và kỹ năng sử dụng điện thoại thông minh. Học viên chủ yếu là "
            "phụ nữ, người trung tuổi."
        ),
        "novelty": (
            "Giáo trình được biên soạn lại theo các tình huống trong đời sống của bà con; bộ đội dạy song "
            "ngữ Mông – Việt nên học viên tiếp thu nhanh."
        ),
        "applied_time": "Từ tháng 10/2022 đến nay",
        "applied_place": "Các bản Háng Tàu, Pá Sáng (xã Nậm Khao) và xã Huổi Pha, huyện Vân Khê",
        "applied_work": "Xóa mù chữ, nâng cao dân trí cho đồng bào dân tộc thiểu số vùng biên giới.",
        "results": (
            "Mở 9 lớp với 236 học viên, 214 người đọc thông, viết thạo và làm được phép tính cơ bản; 160 "
            "người tự sử dụng được điện thoại để nhận thông báo của bản."
        ),
    },
    {
        "kind": "initiative",
        "field": "armed_forces",
        "unit": "bdbp_tinh",
        "title": "Hệ thống lọc nước sinh hoạt dùng chung cho đồn biên phòng và bản giáp ranh",
        "lead_author": "Phạm Đức Mạnh",
        "co_authors": ["Lương Văn Hợp"],
        "summary": (
            "Thiết kế hệ thống lọc nước từ nguồn khe suối gồm bể lắng, bể lọc cát sỏi, than hoạt tính và đèn "
            "khử khuẩn, đặt ở điểm cao để nước tự chảy về đồn và các hộ dân lân cận. Vật liệu tận dụng tại "
            "chỗ; bộ đội và Nhân dân cùng góp công xây dựng."
        ),
        "novelty": (
            "Một hệ thống phục vụ cả đơn vị và người dân, chi phí thấp, không dùng điện bơm, dễ bảo trì."
        ),
        "applied_time": "Từ tháng 4/2024 đến nay",
        "applied_place": "Đồn Biên phòng Nậm Khao và bản Huổi Cang, xã Nậm Khao, huyện Vân Khê",
        "applied_work": "Bảo đảm nước sinh hoạt cho đơn vị và Nhân dân khu vực biên giới.",
        "results": (
            "Cung cấp nước đạt quy chuẩn nước sinh hoạt cho 48 cán bộ, chiến sĩ và 73 hộ dân; chi phí xây "
            "dựng 186 triệu đồng, thấp hơn khoảng 40% so với phương án thông thường."
        ),
    },
    {
        "kind": "initiative",
        "field": "armed_forces",
        "unit": "bdbp_tinh",
        "title": "Nhóm Zalo “Biên phòng – Bản làng” tiếp nhận tin báo về an ninh trật tự",
        "lead_author": "Lương Văn Hợp",
        "co_authors": ["Nguyễn Văn Khoa"],
        "summary": (
            "Mỗi bản có một nhóm Zalo gồm cán bộ đồn biên phòng phụ trách địa bàn, trưởng bản, người có uy "
            "tín và đại diện các hộ; người dân báo tin về người lạ, hoạt động buôn bán trái phép, cháy rừng "
            "và nhận thông báo, cảnh báo của đồn."
        ),
        "novelty": (
            "Thông tin được trao đổi hai chiều, nhanh chóng, thay cho việc người dân phải đi bộ đến đồn hoặc "
            "chờ đến các buổi họp bản."
        ),
        "applied_time": "Từ tháng 2/2024 đến nay",
        "applied_place": "32 bản thuộc các xã biên giới huyện Vân Khê",
        "applied_work": "Nắm tình hình, phòng chống tội phạm và giữ gìn an ninh trật tự khu vực biên giới.",
        "results": (
            "Các nhóm có 2.870 thành viên; tiếp nhận 214 tin báo, trong đó 31 tin giúp bắt giữ, xử lý các vụ "
            "vận chuyển hàng cấm, xuất nhập cảnh trái phép."
        ),
    },
    # Ủy ban MTTQ Việt Nam huyện Vân Khê
    {
        "kind": "initiative",
        "field": "political_system",
        "unit": "mttq_van_khe",
        "title": (
            "Nhóm Zalo khu dân cư do Ban Công tác Mặt trận quản trị, kết nối Nhân dân với chính quyền cơ sở"
        ),
        "lead_author": "Lương Văn Thiết",
        "co_authors": ["Hà Thị Nhung", "Nguyễn Thành Công"],
        "summary": (
            "Mỗi thôn, bản lập một nhóm Zalo do Trưởng ban Công tác Mặt trận làm quản trị, có trưởng thôn, "
            "công an viên và đại diện các hộ gia đình tham gia. Nhóm dùng để thông tin chủ trương, chính "
            "sách, tiếp nhận phản ánh, kiến nghị và vận động các phong trào; ý kiến được tổng hợp hằng tuần "
            "gửi Ủy ban nhân dân xã."
        ),
        "novelty": (
            "Có quy chế hoạt động thống nhất, sổ theo dõi phản ánh và thời hạn trả lời, thay cho các nhóm tự "
            "phát trước đây không ai chịu trách nhiệm."
        ),
        "applied_time": "Từ tháng 3/2023 đến nay",
        "applied_place": "98 thôn, bản thuộc 16 xã, thị trấn của huyện Vân Khê",
        "applied_work": (
            "Tuyên truyền, vận động Nhân dân và tiếp nhận ý kiến, kiến nghị của cử tri và Nhân dân."
        ),
        "results": (
            "98/98 thôn, bản có nhóm hoạt động với khoảng 21.000 thành viên; tiếp nhận 1.240 phản ánh, kiến "
            "nghị, 93% được giải quyết hoặc trả lời trong thời hạn."
        ),
    },
    {
        "kind": "model",
        "field": "political_system",
        "unit": "mttq_van_khe",
        "title": "Mô hình “Camera an ninh cộng đồng” do Nhân dân đóng góp xây dựng",
        "lead_author": "Nguyễn Thành Công",
        "co_authors": ["Phạm Văn Nhân"],
        "summary": (
            "Ban Công tác Mặt trận các khu dân cư vận động Nhân dân, doanh nghiệp đóng góp kinh phí lắp đặt "
            "camera tại các tuyến đường, ngã ba, cổng trường học, kết nối với công an xã. Việc thu, chi được "
            "công khai tại hội nghị khu dân cư."
        ),
        "novelty": (
            "Nhân dân tự nguyện đóng góp và giám sát việc sử dụng camera, không sử dụng ngân sách nhà nước."
        ),
        "applied_time": "Từ tháng 8/2023 đến nay",
        "applied_place": "Thị trấn Vân Khê và 5 xã lân cận, huyện Vân Khê",
        "applied_work": "Phong trào Toàn dân bảo vệ an ninh Tổ quốc, giữ gìn trật tự, an toàn xã hội.",
        "results": (
            "Lắp đặt 236 camera với tổng kinh phí 1,04 tỷ đồng do Nhân dân đóng góp; hình ảnh trích xuất "
            "giúp làm rõ 27 vụ trộm cắp, tai nạn giao thông; số vụ trộm cắp tài sản giảm 41%."
        ),
    },
    {
        "kind": "model",
        "field": "ethnic_religious_overseas",
        "unit": "mttq_van_khe",
        "title": (
            "Mô hình “Người có uy tín đi đầu vận động đồng bào xóa bỏ hủ tục trong việc cưới, việc tang”"
        ),
        "lead_author": "Cầm Văn Tươi",
        "co_authors": ["Lò Thị Chăm", "Sầm Thị Hoa"],
        "summary": (
            "Ủy ban MTTQ huyện tập huấn, giao nhiệm vụ cho người có uy tín ở từng bản vận động đồng bào rút "
            "ngắn thời gian tổ chức tang lễ, không để người chết lâu ngày trong nhà, giảm thách cưới, không "
            "ép uống rượu. Nội dung được đưa vào hương ước, quy ước của bản."
        ),
        "novelty": (
            "Người có uy tín trực tiếp tham gia soạn thảo quy ước và làm gương trong gia đình, dòng họ mình "
            "trước khi vận động bà con."
        ),
        "applied_time": "Từ năm 2022 đến nay",
        "applied_place": "42 bản có đồng bào dân tộc Thái, Mông, Khơ Mú thuộc huyện Vân Khê",
        "applied_work": "Xây dựng đời sống văn hóa, xóa bỏ hủ tục trong đồng bào dân tộc thiểu số.",
        "results": (
            "40/42 bản đưa nội dung vào quy ước; thời gian tổ chức tang lễ giảm từ 4–5 ngày xuống 1–2 ngày; "
            "chi phí đám cưới, đám tang của các hộ giảm bình quân 35–40%."
        ),
    },
    {
        "kind": "initiative",
        "field": "ethnic_religious_overseas",
        "unit": "mttq_van_khe",
        "title": "Biên soạn tài liệu hỏi – đáp pháp luật về đất đai, bảo vệ rừng song ngữ Việt – Thái",
        "lead_author": "Hà Thị Nhung",
        "co_authors": ["Cầm Văn Tươi"],
        "summary": (
            "Ủy ban MTTQ huyện phối hợp với Phòng Tư pháp, Hạt Kiểm lâm biên soạn cuốn hỏi – đáp gồm 60 câu "
            "hỏi thường gặp về đất đai, giao khoán bảo vệ rừng bằng hai thứ tiếng Việt và Thái, kèm tranh "
            "minh họa và bản ghi âm để phát trên loa truyền thanh."
        ),
        "novelty": (
            "Lần đầu tiên có tài liệu pháp luật bằng chữ Thái do chính người Thái tham gia biên soạn, dùng "
            "cách nói gần gũi với bà con."
        ),
        "applied_time": "Từ tháng 6/2024 đến nay",
        "applied_place": "Các bản có đồng bào dân tộc Thái thuộc huyện Vân Khê",
        "applied_work": "Phổ biến, giáo dục pháp luật cho đồng bào dân tộc thiểu số.",
        "results": (
            "In và phát 3.000 cuốn đến các hộ; số vụ tranh chấp đất đai, vi phạm lâm luật tại các bản áp "
            "dụng giảm từ 38 vụ (năm 2023) xuống 21 vụ (năm 2024)."
        ),
    },
    {
        "kind": "model",
        "field": "political_system",
        "unit": "mttq_van_khe",
        "title": "Mô hình “Nước sạch về bản” – Nhân dân góp công, nhà tài trợ hỗ trợ vật tư",
        "lead_author": "Phạm Văn Nhân",
        "co_authors": ["Lương Văn Thiết"],
        "summary": (
            "Ủy ban MTTQ huyện vận động nhà tài trợ, doanh nghiệp hỗ trợ ống dẫn, xi măng; Nhân dân góp công "
            "đào rãnh, xây bể chứa để dẫn nước tự chảy từ đầu nguồn về các cụm dân cư. Mỗi công trình có tổ "
            "quản lý do dân bầu, thu phí duy tu ở mức thấp."
        ),
        "novelty": (
            "Nhân dân tham gia từ khâu chọn nguồn nước, thi công đến quản lý vận hành nên công trình được "
            "giữ gìn, sử dụng lâu dài."
        ),
        "applied_time": "Từ năm 2023 đến nay",
        "applied_place": "12 bản thuộc các xã Nậm Khao, Huổi Pha, Nà Ngòi, huyện Vân Khê",
        "applied_work": "Vận động xã hội hóa xây dựng công trình cấp nước sinh hoạt nông thôn.",
        "results": (
            "Xây dựng 12 công trình, cấp nước cho 860 hộ; tổng giá trị 2,4 tỷ đồng, Nhân dân đóng góp 6.800 "
            "ngày công; tỷ lệ hộ dùng nước hợp vệ sinh của các bản tăng từ 54% lên 91%."
        ),
    },
    # Xã Nậm Khao, huyện Vân Khê
    {
        "kind": "model",
        "field": "armed_forces",
        "unit": "xa_nam_khao",
        "title": "Mô hình “Tổ dân quân thường trực kết hợp tổ tự quản an ninh trật tự ở bản”",
        "lead_author": "Lô Văn Thắm",
        "co_authors": ["Hà Văn Khánh"],
        "summary": (
            "Ban Chỉ huy Quân sự xã bố trí dân quân thường trực theo cụm bản, kết hợp với tổ tự quản an ninh "
            "trật tự tuần tra ban đêm, ứng trực phòng chống cháy rừng, thiên tai. Dân quân đồng thời giúp "
            "dân sửa nhà, thu hoạch mùa vụ."
        ),
        "novelty": (
            "Lực lượng dân quân được bố trí sát dân, gắn nhiệm vụ quốc phòng với công tác dân vận, không chỉ "
            "tập trung tại trụ sở xã."
        ),
        "applied_time": "Từ tháng 1/2024 đến nay",
        "applied_place": "Xã Nậm Khao, huyện Vân Khê",
        "applied_work": (
            "Xây dựng lực lượng dân quân, bảo đảm an ninh trật tự và phòng chống thiên tai ở cơ sở."
        ),
        "results": (
            "Tuần tra 420 lượt; kịp thời khống chế 5 vụ cháy rừng, sơ tán 27 hộ dân khỏi vùng nguy cơ sạt "
            "lở; năm 2024 trên địa bàn xã không xảy ra trọng án."
        ),
    },
    {
        "kind": "model",
        "field": "ethnic_religious_overseas",
        "unit": "xa_nam_khao",
        "title": "Mô hình “Đồng bào có đạo sống tốt đời, đẹp đạo, chung tay làm đường giao thông nông thôn”",
        "lead_author": "Vừ A Chư",
        "co_authors": ["Lầu A Tủa", "Moong Thị Nhi"],
        "summary": (
            "Ban Thường trực Ủy ban MTTQ xã phối hợp với trưởng các điểm nhóm Tin lành đã đăng ký sinh hoạt "
            "tôn giáo tập trung vận động tín đồ hiến đất, góp ngày công làm đường bê tông vào bản; nội dung "
            "vận động được lồng ghép trong các buổi sinh hoạt tôn giáo."
        ),
        "novelty": (
            "Chức sắc, trưởng điểm nhóm tôn giáo trực tiếp cùng Mặt trận vận động tín đồ tham gia phong trào "
            "chung của xã."
        ),
        "applied_time": "Từ tháng 10/2023 đến nay",
        "applied_place": "Các bản Háng Tàu, Pá Sáng, xã Nậm Khao, huyện Vân Khê",
        "applied_work": "Vận động đồng bào tôn giáo tham gia xây dựng nông thôn mới.",
        "results": (
            "Tín đồ hiến 6.400 m² đất, góp 3.100 ngày công làm 4,6 km đường bê tông; 2 bản được công nhận "
            "đạt danh hiệu bản văn hóa."
        ),
    },
    {
        "kind": "initiative",
        "field": "political_system",
        "unit": "xa_nam_khao",
        "title": "Công khai thu, chi các khoản Nhân dân đóng góp bằng mã QR dán tại nhà văn hóa bản",
        "lead_author": "Kha Văn Lả",
        "co_authors": ["Moong Thị Nhi"],
        "summary": (
            "Ban Công tác Mặt trận các bản cập nhật hằng tháng các khoản thu, chi do Nhân dân đóng góp lên "
            "trang thông tin điện tử của xã; mã QR dẫn đến trang này được dán tại nhà văn hóa và gửi vào "
            "nhóm Zalo của bản để người dân tự kiểm tra."
        ),
        "novelty": (
            "Người dân xem được chi tiết bất cứ lúc nào, không phải chờ đến hội nghị tổng kết cuối năm."
        ),
        "applied_time": "Từ tháng 4/2024 đến nay",
        "applied_place": "11 bản thuộc xã Nậm Khao, huyện Vân Khê",
        "applied_work": "Thực hiện dân chủ ở cơ sở, giám sát của Nhân dân đối với các khoản đóng góp.",
        "results": (
            "11/11 bản thực hiện; không còn đơn thư thắc mắc về các khoản đóng góp (năm 2023 có 7 đơn); số "
            "tiền vận động được năm 2024 tăng 22% so với năm trước."
        ),
    },
    {
        "kind": "initiative",
        "field": "ethnic_religious_overseas",
        "unit": "xa_nam_khao",
        "title": "Phát thanh song ngữ Việt – Khơ Mú trên hệ thống loa truyền thanh của xã",
        "lead_author": "Moong Thị Nhi",
        "co_authors": [],
        "summary": (
            "Biên dịch, đọc một số bản tin của xã bằng tiếng Khơ Mú để phát trên hệ thống loa truyền thanh "
            "vào buổi tối."
        ),
        "novelty": "Bà con người Khơ Mú được nghe thông tin bằng tiếng dân tộc mình.",
        "applied_time": "Từ năm 2024",
        "applied_place": "Xã Nậm Khao, huyện Vân Khê",
        "applied_work": "Thông tin, tuyên truyền ở cơ sở.",
        "results": (
            "Được bà con đồng tình, hưởng ứng; nhận thức của người dân về các chủ trương, chính sách được "
            "nâng lên."
        ),
    },
]

# Council members (Hội đồng): one chair, one vice-chair, one secretary and nine members.
COUNCIL: list[dict] = [
    {
        "username": "chutich",
        "full_name": "Trần Đức Hậu",
        "unit": "mttq_tinh",
        "role": "chair",
        "title": "Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh",
        "expertise": ["political_system", "ethnic_religious_overseas"],
    },
    {
        "username": "phochutich",
        "full_name": "Nguyễn Thị Minh Phương",
        "unit": "mttq_tinh",
        "role": "vice_chair",
        "title": "Trưởng Ban Phong trào, Ủy ban MTTQ Việt Nam tỉnh",
        "expertise": ["political_system", "business"],
    },
    {
        "username": "thuky",
        "full_name": "Đào Quang Huy",
        "unit": "mttq_tinh",
        "role": "secretary",
        "title": "Phó Trưởng Ban Phong trào, Ủy ban MTTQ Việt Nam tỉnh",
        "expertise": ["political_system"],
    },
    {
        "username": "uyvien01",
        "full_name": "Lê Công Thường",
        "unit": "ldld_tinh",
        "role": "member",
        "title": "Phó Chủ tịch Liên đoàn Lao động tỉnh",
        "expertise": ["business", "political_system"],
    },
    {
        "username": "uyvien02",
        "full_name": "Nguyễn Đình Lâm",
        "unit": "hnd_tinh",
        "role": "member",
        "title": "Phó Chủ tịch Hội Nông dân tỉnh",
        "expertise": ["business", "ethnic_religious_overseas"],
    },
    {
        "username": "uyvien03",
        "full_name": "Phạm Thị Thu Trang",
        "unit": "tinh_doan",
        "role": "member",
        "title": "Phó Bí thư Tỉnh Đoàn",
        "expertise": ["political_system", "public_service"],
    },
    {
        "username": "uyvien04",
        "full_name": "Vũ Thị Hồng Hạnh",
        "unit": "hlhpn_tinh",
        "role": "member",
        "title": "Phó Chủ tịch Hội Liên hiệp Phụ nữ tỉnh",
        "expertise": ["ethnic_religious_overseas", "political_system"],
    },
    {
        "username": "uyvien05",
        "full_name": "Đặng Văn Toản",
        "unit": "hccb_tinh",
        "role": "member",
        "title": "Phó Chủ tịch Hội Cựu chiến binh tỉnh",
        "expertise": ["armed_forces", "political_system"],
    },
    {
        "username": "uyvien06",
        "full_name": "Lý Minh Hoàng",
        "unit": "bvdk_tinh",
        "role": "member",
        "title": "Phó Giám đốc Bệnh viện Đa khoa tỉnh",
        "expertise": ["public_service"],
    },
    {
        "username": "uyvien07",
        "full_name": "Nguyễn Thị Thanh Hương",
        "unit": "thpt_chuyen",
        "role": "member",
        "title": "Hiệu trưởng Trường Trung học phổ thông chuyên An Hòa",
        "expertise": ["public_service"],
    },
    {
        "username": "uyvien08",
        "full_name": "Hoàng Văn Trọng",
        "unit": "bdbp_tinh",
        "role": "member",
        "title": "Phó Chính ủy Bộ Chỉ huy Bộ đội Biên phòng tỉnh",
        "expertise": ["armed_forces", "ethnic_religious_overseas"],
    },
    {
        "username": "uyvien09",
        "full_name": "Lò Văn Minh",
        "unit": "mttq_van_khe",
        "role": "member",
        "title": "Chủ tịch Ủy ban MTTQ Việt Nam huyện Vân Khê",
        "expertise": ["ethnic_religious_overseas", "political_system"],
    },
]

# Accounts outside the council.
STAFF: list[dict] = [
    {"username": "quantri", "full_name": "Phạm Thị Ngọc Diệp", "unit": "mttq_tinh", "role": "admin"},
    {"username": "kiemtoan", "full_name": "Hoàng Minh Triết", "unit": "mttq_tinh", "role": "auditor"},
]
