"""The websocket protocol: inbound messages (`client`), outbound events (`server`), codes."""
