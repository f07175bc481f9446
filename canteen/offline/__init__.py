"""A counter that keeps selling when the network does not: the signed snapshot it sells
from, the batch of sales it sends on reconnect, and the reconciliation of what the server
could not apply as the counter sold it (docs/offline.md)."""
