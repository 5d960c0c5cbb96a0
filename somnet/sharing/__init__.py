"""Sharing the directory: a regional office publishes it signed, agencies sync it.

``manifest`` (the signed manifest and its envelope), ``bundle`` (the data files as one file),
``signing`` (keys, trust files, signatures), ``publish``, ``fetch`` (HTTP for a sync),
``install`` (the sync folder on disk), ``state`` (``state.json``), ``sync`` (the use case),
``installed`` (the synced copy as every command reads it), ``status``. The public names are
exported by ``somnet``.
"""
