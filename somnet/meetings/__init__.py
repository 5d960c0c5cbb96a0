"""Meetings: planning regional coordination meetings and series, their record, the invites and
their delivery. The public names are exported by ``somnet``."""
