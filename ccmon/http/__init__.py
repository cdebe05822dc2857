"""The one shared, rate-limited HTTP client every vendor request goes through."""

from ccmon.http.client import JsonResponse, RetryPolicy, SourceClient
from ccmon.http.counters import SourceCounters
from ccmon.http.errors import ErrorKind, SourceError
from ccmon.http.ratelimit import RateLimiter

__all__ = [
    "ErrorKind",
    "JsonResponse",
    "RateLimiter",
    "RetryPolicy",
    "SourceClient",
    "SourceCounters",
    "SourceError",
]
