package io.secretsapi.server.console;

import java.util.function.Consumer;

/**
 * One screen of the console, as the navigation lists it and {@link Console} registers it.
 *
 * @param slug a short name: the screen's id in pages, tests and screenshots ({@code vault})
 * @param title what the navigation shows
 * @param path where the screen is served, under {@code /console}
 * @param endpoint the API endpoint whose scope opening the screen needs, such as {@code GET
 *     /secrets}: a key that may not call it does not see the screen
 * @param routes registers the screen's pages and forms, such as {@code VaultScreen::register}
 */
record Screen(String slug, String title, String path, String endpoint, Consumer<Console> routes) {}
