"""Offline field capture: the installable app shell, its service worker and the outbox's session check."""
