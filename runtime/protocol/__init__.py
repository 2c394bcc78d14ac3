"""dreamverse.runtime.protocol"""
