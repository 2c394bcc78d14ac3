"""Lua shared by the scale-out scripts. Time is always Redis's own clock, so hosts need not agree."""

from __future__ import annotations

NOW_MS = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""
