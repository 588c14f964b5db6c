"""The copilot's connectors: services a workspace connects for it (docs/copilot.md, "Connectors").

`notion.py` (pages from conversations and plans) and `whatsapp.py` (template messages through
Twilio) are the HTTP clients; `services.py` connects, tests and disconnects them and sends the
notifications; `tasks.py` sends them off the request; `receivers.py` listens to orders and designs.
"""
