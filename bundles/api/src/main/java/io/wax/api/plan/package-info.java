/** A flow as data: its core steps, and pure renderings of it as JSON and Mermaid. */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.wax.api.plan;
