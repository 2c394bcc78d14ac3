"""dreamverse.runtime"""
