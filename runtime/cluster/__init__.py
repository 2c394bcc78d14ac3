"""The runtime's side of scale-out: the fair slot queue shared by replicas, session snapshots."""
