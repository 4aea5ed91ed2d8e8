/** Standard input and output as a flow's source and sink. */
@org.osgi.annotation.versioning.Version("0.1.0")
package io.wax.connectors.stdio;
