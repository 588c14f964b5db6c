"""AI: providers behind one interface (offline, OpenAI), style presets and the usage log."""
