"""campaigns: e-mail campaigns to CRM audiences — audiences, templates, sending with a send log,
compliance (unsubscribe, suppression, double opt-in) and tracking."""
