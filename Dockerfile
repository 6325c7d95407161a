# syntax=docker/dockerfile:1
# Rongtong: one static binary with the web UI embedded (frontend/dist is
# committed, so the build needs Go alone).

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/rongtong ./cmd/rongtong \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/rongtong /usr/local/bin/rongtong
COPY --from=build --chown=nonroot:nonroot /out/data /var/lib/rongtong
COPY configs /etc/rongtong
ENV RONGTONG_ADDR=:8080 \
    RONGTONG_DATA_DIR=/var/lib/rongtong
USER nonroot:nonroot
VOLUME ["/var/lib/rongtong"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["/usr/local/bin/rongtong", "health", "--url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/rongtong"]
CMD ["serve"]
