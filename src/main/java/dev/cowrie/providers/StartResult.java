package dev.cowrie.providers;

/** A started checkout: the provider's id for it and where to send the customer. */
public record StartResult(String providerReference, String redirectUrl) {}
