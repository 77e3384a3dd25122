# Slant in two stages: build with cgo (SQLite is a C library), run on a
# small glibc image as a non-root user.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w" -o /out/slant .

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin slant \
 && mkdir -p /data && chown slant:slant /data
COPY --from=build /out/slant /usr/local/bin/slant
USER slant
WORKDIR /data
ENV SLANT_ADDR=:8080 DB_PATH=/data/slant.db
EXPOSE 8080
VOLUME ["/data"]
# No curl in the image: the binary asks its own /healthz (slant health).
HEALTHCHECK --interval=30s --timeout=6s --start-period=30s --retries=3 CMD ["/usr/local/bin/slant", "health"]
ENTRYPOINT ["/usr/local/bin/slant"]
CMD ["serve"]
