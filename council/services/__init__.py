"""Services: the operations of the domain.

They take the acting user as an argument and never read the request, so the CLI, the tests
and the web call them alike.
"""
