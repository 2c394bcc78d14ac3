"""Every Redis key the scale-out uses, in one place, under one prefix (several deployments may share a Redis).

{p}:agents                  zset  agent id → heartbeat deadline (unix ms); past it the agent is dead
{p}:agent:{id}              string JSON `AgentInfo`
{p}:slots:free              zset  slot id → unix ms it became free (oldest free slot is handed out first)
{p}:slots:busy              hash  slot id → ticket that holds it
{p}:slot:{slot}:cmd         stream commands for one slot (runtime → agent)
{p}:queue                   zset  ticket → order (negative scores: re-queued at the front)
{p}:tickets                 zset  ticket → liveness deadline (unix ms), refreshed by the replica that
                                  holds it (waiting or leased); a ticket past it is abandoned
{p}:queue:seq               counter of the back of the queue
{p}:queue:front             counter of the front of the queue
{p}:lease:{ticket}          string slot id handed to a ticket, until its replica picks it up
{p}:session:{sid}:events    stream events of one session (agent → whichever replica holds the client)
{p}:session:{sid}:seq       counter: the sequence number of the session's last event
{p}:snapshot:{sid}          hash  session snapshot: JSON, owner, token digest, continuation id
                                  (for a takeover by another replica)
{p}:snapshot:{sid}:cont     string the continuation state that snapshot goes on from (same TTL)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Keys:
    prefix: str = "dreamverse"

    @property
    def agents(self) -> str:
        return f"{self.prefix}:agents"

    def agent(self, agent_id: str) -> str:
        return f"{self.prefix}:agent:{agent_id}"

    @property
    def free_slots(self) -> str:
        return f"{self.prefix}:slots:free"

    @property
    def busy_slots(self) -> str:
        return f"{self.prefix}:slots:busy"

    def slot_commands(self, slot_id: str) -> str:
        return f"{self.prefix}:slot:{slot_id}:cmd"

    @property
    def queue(self) -> str:
        return f"{self.prefix}:queue"

    @property
    def tickets(self) -> str:
        return f"{self.prefix}:tickets"

    @property
    def queue_seq(self) -> str:
        return f"{self.prefix}:queue:seq"

    @property
    def queue_front(self) -> str:
        return f"{self.prefix}:queue:front"

    def lease(self, ticket: str) -> str:
        return f"{self.prefix}:lease:{ticket}"

    def session_events(self, session_id: str) -> str:
        return f"{self.prefix}:session:{session_id}:events"

    def session_seq(self, session_id: str) -> str:
        return f"{self.prefix}:session:{session_id}:seq"

    def snapshot(self, session_id: str) -> str:
        return f"{self.prefix}:snapshot:{session_id}"

    def snapshot_continuation(self, session_id: str) -> str:
        return f"{self.prefix}:snapshot:{session_id}:cont"


def slot_id(agent_id: str, gpu_id: int) -> str:
    """A slot is one worker of one agent: `agent/gpu`."""
    return f"{agent_id}/{gpu_id}"


def split_slot_id(slot: str) -> tuple[str, int]:
    agent_id, _, gpu = slot.rpartition("/")
    return agent_id, int(gpu)
