"""Sharing the directory: signed bundles, publishing, syncing, installing. The public names are
exported by ``somnet``."""
