package io.secretsapi.server;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;

/**
 * The request with its body already read: the transport reads the same bytes again, and a body the
 * filter did not read never reaches it.
 */
final class ReplayedRequest extends jakarta.servlet.http.HttpServletRequestWrapper {
  private final byte[] body;

  ReplayedRequest(HttpServletRequest req, byte[] body) {
    super(req);
    this.body = body;
  }

  @Override
  public jakarta.servlet.ServletInputStream getInputStream() {
    java.io.ByteArrayInputStream bytes = new java.io.ByteArrayInputStream(body);
    return new jakarta.servlet.ServletInputStream() {
      @Override
      public int read() {
        return bytes.read();
      }

      @Override
      public int read(byte[] buf, int off, int len) {
        return bytes.read(buf, off, len);
      }

      @Override
      public boolean isFinished() {
        return bytes.available() == 0;
      }

      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setReadListener(jakarta.servlet.ReadListener l) {
        throw new IllegalStateException("the body is already read");
      }
    };
  }

  @Override
  public java.io.BufferedReader getReader() {
    return new java.io.BufferedReader(
        new java.io.InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
  }

  @Override
  public int getContentLength() {
    return body.length;
  }

  @Override
  public long getContentLengthLong() {
    return body.length;
  }
}
