"""The Redis ACL rules a viewer and a hub need, exactly (the README shows them; a test runs
a viewer and a hub under them against a real Redis)."""

from __future__ import annotations

from ccmon.hub.keys import VERSION

CONNECT = "+ping +hello +multi +exec +discard"


def viewer_rules(prefix: str = "ccmon") -> str:
    """Read the hub's keys; write only its own heartbeat."""
    return (
        f"resetkeys %R~{prefix}:* %RW~{prefix}:v{VERSION}:viewer:* resetchannels -@all "
        f"{CONNECT} +smembers +hgetall +get +xrevrange +xread +set +del"
    )


def hub_rules(prefix: str = "ccmon") -> str:
    """Everything ``ccmon hub`` and ``ccmon hub status`` do, on the hub's keys only."""
    return (
        f"resetkeys ~{prefix}:* resetchannels -@all {CONNECT} "
        "+smembers +sadd +hgetall +hset +hdel +get +set +del +incr +pttl +eval "
        "+xadd +xrevrange +xread +xlen +scan +memory|usage"
    )
