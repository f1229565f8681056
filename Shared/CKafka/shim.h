#ifndef KK_CKAFKA_SHIM_H
#define KK_CKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/* rd_kafka_producev() is variadic, which Swift cannot call. This helper
 * produces one message (copied by librdkafka) with optional key and headers;
 * the headers object is owned by librdkafka on success, by the caller on error. */
static inline rd_kafka_resp_err_t kk_produce(rd_kafka_t *rk, const char *topic, int32_t partition,
                                             const void *value, size_t value_len,
                                             const void *key, size_t key_len,
                                             rd_kafka_headers_t *headers, void *opaque) {
    return rd_kafka_producev(rk,
                             RD_KAFKA_V_TOPIC(topic),
                             RD_KAFKA_V_PARTITION(partition),
                             RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_VALUE((void *)value, value_len),
                             RD_KAFKA_V_KEY(key, key_len),
                             RD_KAFKA_V_HEADERS(headers),
                             RD_KAFKA_V_OPAQUE(opaque),
                             RD_KAFKA_V_END);
}
#endif
