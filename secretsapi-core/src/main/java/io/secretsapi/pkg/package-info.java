/**
 * Service packages and engines (issue 22, design 0031, docs/packages.md): a package bundles scopes
 * of secrets under a name, a tier and a review lane, with a readiness posture computed from its
 * secrets; an engine is a deployed workload whose principals are one service account's; binding a
 * package to an engine grants those principals exactly the package's scopes through the generated
 * policy set {@code engine-<engine id>}, and unbinding revokes them and their live grants.
 */
package io.secretsapi.pkg;
