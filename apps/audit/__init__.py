"""audit: who changed what in a workspace (people and API keys), kept one year."""
