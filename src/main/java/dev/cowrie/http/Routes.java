package dev.cowrie.http;

/** A feature's routes: Cowrie builds them and HttpVerticle mounts each on the shared {@link Api}. */
public interface Routes {
  void mount(Api api);
}
