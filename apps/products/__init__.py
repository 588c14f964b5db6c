"""products: the catalog — products, variants, views with print areas, priced options."""
