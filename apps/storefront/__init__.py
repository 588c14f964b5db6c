"""storefront: the embeddable widget — its script, its API for shoppers (publishable keys, allowed
origins) and its live socket.
"""
