"""What the CRM computes from what customers bought: RFM scores and segments (`rfm`), P(alive)
and expected purchases from a BG/NBD fit (`bgnbd`), recommendations with their reasons
(`recommendations`, `reasons`). `refresh.crm_refresh` runs them all for one date."""
