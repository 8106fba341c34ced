"""System tests: the app under gunicorn over HTTP, with concurrent clients, crashes and database outages."""
