"""dreamverse.runtime.session"""
