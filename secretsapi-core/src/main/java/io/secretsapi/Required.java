package io.secretsapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of a request body record that the caller must send. The HTTP layer refuses a
 * body without it ({@code rule: required}, naming the field) and the API description lists it under
 * {@code required}, both from this one mark, so the two cannot drift apart. A field that is needed
 * only in some cases (the value of a {@code static} secret, one of several revocation targets) is
 * not marked: the service checks it and the field's description says when.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Required {}
