"""Bringing content in from other systems. One package per source."""
