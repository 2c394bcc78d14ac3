"""Scale-out over Redis: the wire format, the worker registry, per-session event streams, the agent."""
