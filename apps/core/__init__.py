"""core: what every app builds on — errors, input hygiene, API plumbing, notifications, tasks, uploads,
signatures; no models, imports no app.
"""
