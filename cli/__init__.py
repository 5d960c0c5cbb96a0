"""The somnet command line: thin, one call into the library per command."""
