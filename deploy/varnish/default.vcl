vcl 4.1;
# Varnish in front of JTVC's web service (Varnish 7, vmod xkey from varnish-modules).
#
# What is shared: only what the application marks `Cache-Control: public` (anonymous
# reader pages, feeds, sitemaps, static files). Anything personal passes straight through:
# a session or messages cookie (staff, flash messages), an Authorization header, the admin
# and preview addresses, every method but GET/HEAD. A response that sets a cookie is never
# stored.
#
# Purging: the application lists what a page shows in `Surrogate-Key` (space-separated
# keys, Fastly's header); it is indexed here with xkey. After a change the application
# sends `PURGE /` with `xkey-purge: key1 key2 …` (jtvc/edge.py); only the `purgers` below
# may. Keys are removed from responses before they reach clients.
#
# Compression: the application gzips anonymous HTML itself when asked (Vary:
# Accept-Encoding). Varnish keeps one object per normalised encoding (gzip or none), so
# each client gets stored bytes as they are, with no (de)compression per request.
#
# The backend address is the Compose service `web`; tests and `make bench` render a copy
# of this file with their own loopback port (the only line they change).

import std;
import xkey;

backend default {
    .host = "web";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "xkey-purge header missing"));
        }
        # A hard purge: a soft one leaves the object in grace, and the next reader would
        # still get the old page while a fresh one is fetched in the background.
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.url ~ "^/(admin|preview|media-library)(/|$)") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|__Host-sessionid|messages)=") {
        return (pass);
    }
    # Other cookies (a CSRF token left over from a form) change nothing on a public page.
    unset req.http.Cookie;

    if (req.http.Accept-Encoding ~ "gzip") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }
    set req.http.x-ae = req.http.Accept-Encoding;
    # Tracking parameters never change a page.
    set req.url = regsuball(req.url, "([?&])(utm_[a-z]+|fbclid|gclid)=[^&]*&?", "\1");
    set req.url = regsub(req.url, "[?&]$", "");
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    if (req.http.host) {
        hash_data(req.http.host);
    }
    hash_data(req.http.Accept-Encoding);
    return (lookup);
}

sub vcl_backend_fetch {
    # Ask the application for exactly the encoding this object is kept in.
    if (bereq.http.x-ae) {
        set bereq.http.Accept-Encoding = bereq.http.x-ae;
    } else {
        unset bereq.http.Accept-Encoding;
    }
    unset bereq.http.x-ae;
}

sub vcl_backend_response {
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "public") {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    # Varnish reads s-maxage and stale-while-revalidate itself; keep the object longer
    # still, so it can be served when the application fails (stale-if-error).
    set beresp.keep = 1d;
    # Never compress or decompress here (see the top).
    set beresp.do_gzip = false;
    set beresp.do_gunzip = false;
    return (deliver);
}

sub vcl_backend_error {
    # The application is down and there is nothing stale to serve: a short plain answer.
    set beresp.http.Content-Type = "text/plain; charset=utf-8";
    set beresp.http.Cache-Control = "no-store";
    synthetic("The site is temporarily unavailable. Please try again in a moment.");
    return (deliver);
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}
