"""dreamverse.workers"""
