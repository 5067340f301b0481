package io.secretsapi.server.console;

import java.util.List;

/**
 * The live event stream (screen 3): the newest events the key may see, newest first, and where the
 * page's stream picks up.
 *
 * @param streamUrl the stream's address with this filter, resuming right after the shown events
 * @param from the audit reference of the last offset the page read, such as {@code AU-94182}
 */
record EventsPage(
    Frame frame, EventFilter filter, List<EventLine> lines, String streamUrl, String from) {}
