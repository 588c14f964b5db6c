"""dashboard: the shell that assembles the brand dashboard — URLs, navigation, home, placeholder
sections, the demo seed.
"""
