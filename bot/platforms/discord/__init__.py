"""Discord: the discord.py client, its events and commands, rendering, posting, /digest and the digest poster."""
