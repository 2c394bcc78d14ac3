"""Every segment of a session as a point to return to: the segment tree and its bounded store."""
