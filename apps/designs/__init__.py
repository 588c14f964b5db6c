"""designs: the personalization pipeline — a shopper's or a key's design moderated, generated,
composited and exported (print files, previews, 3D), step by step, live over websockets.
"""
