"""The regional directory: its records, loading and validating the data files, the cache, and
the look-ups routing and meetings ask. The public names are exported by ``somnet``."""
