"""dreamverse.generator"""
