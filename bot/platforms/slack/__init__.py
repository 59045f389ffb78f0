"""Slack: the bolt app, its listeners, rendering, posting, /digest and the digest poster."""
