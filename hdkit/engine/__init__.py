"""Run a template's scenarios against a helpdesk, exactly as the PBX would.

The engine is an async core over httpx with sync wrappers: :class:`Engine` runs users,
contact search, the match matrix, contact creation, call events and follow-ups, and returns
result objects (``hdkit.results``) that turn into pandas DataFrames.
"""
