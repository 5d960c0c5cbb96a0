"""Routing: from an interception to an ordered contact plan, under the rules R1-R15
(docs/routing.md). The public names are exported by ``somnet``."""
