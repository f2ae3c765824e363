"""Phase 2, planning (pure, no I/O): checks with the article's messages, posting keys and
rows, the account coding expected, the payloads to send, and whether a found invoice is ours.
This alone is the dry run."""
