"""Meetings: planning the region's coordination meetings and series, their record, the invites
and their delivery. The public names are exported by ``somnet``; this package imports nothing.

The modules, from the ground up::

    inputs        durations, dates, instants and counts read from text; how messages repeat them
    intervals     time as UTC minutes: a zone's offset changes, interval arithmetic
    participants  who attends, with their zone, hours and public holidays
    availability  when one participant can meet, as UTC intervals
    slots         the window searched, the slots in it and their cost, a start chosen by hand
    notice        the earliest start everyone has notice of; a start too soon refused
    planning      one meeting: the best slots of a window, or why none fits
    series        a series whose inconvenient hours rotate, and its ledger
    records       a meeting as recorded, and its JSON (record_version 3)
    store         the folder of records
    lifecycle     a new meeting, a change, a cancellation (UID kept, SEQUENCE raised)
    ical          the iCalendar text of a version (VTIMEZONE, REQUEST, CANCEL, uninvite)
    ics_files     .ics files written whole, never over a device or a folder
    servers       a server's address, checked, without a password
    smtp          iMIP e-mail through SMTP
    caldav        publishing to a CalDAV calendar
    errors        the errors that carry data for hints (a meeting recorded, a series' progress)
    issuing       a version recorded, then delivered on each channel, marked as it goes
    invites       the use cases: invite, update, cancel, resend; invite and cancel a series
    views         how the JSON views with ``from``/``to`` keys are written
"""
