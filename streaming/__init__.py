"""dreamverse.streaming"""
