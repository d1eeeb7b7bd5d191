//! A consumer group's committed offsets: the group coordinator found with FindCoordinator
//! (v3), the committed offset read with OffsetFetch (v6) and written with OffsetCommit
//! (v8), as a standalone member (generation -1, Kafka's "manual assignment" commits).
//! rskafka has no consumer groups; these three requests are encoded with kafka-protocol,
//! each framed as Kafka's protocol says (a 4-byte big-endian length, then the message).
//! The versions are those of Kafka 2.4 and later, and of tansu.

use super::FeedError;
use bytes::{Buf, BufMut, Bytes, BytesMut};
use kafka_protocol::messages::find_coordinator_request::FindCoordinatorRequest;
use kafka_protocol::messages::offset_commit_request::{
    OffsetCommitRequest, OffsetCommitRequestPartition, OffsetCommitRequestTopic,
};
use kafka_protocol::messages::offset_fetch_request::{OffsetFetchRequest, OffsetFetchRequestTopic};
use kafka_protocol::messages::{GroupId, RequestHeader, ResponseHeader, TopicName};
use kafka_protocol::protocol::{Decodable, Encodable, HeaderVersion, Request, StrBytes};
use kafka_protocol::ResponseError;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The client id the group's requests carry.
const CLIENT_ID: &str = "exchange-orchestrator";

/// The largest answer accepted from the coordinator.
const RESPONSE_BYTES_MAX: usize = 1024 * 1024;

/// FindCoordinator's key type for a consumer group.
const KEY_TYPE_GROUP: i8 = 0;

/// A connection to a consumer group's coordinator.
pub struct GroupClient {
    stream: TcpStream,
    group: String,
    correlation_id: i32,
    timeout: Duration,
}

impl GroupClient {
    /// Finds `group`'s coordinator through the first broker of `brokers` that answers, and
    /// connects to it.
    pub async fn connect(
        brokers: &[String],
        group: &str,
        timeout: Duration,
    ) -> Result<Self, FeedError> {
        let mut last_error = FeedError::Protocol("no broker given".into());
        for broker in brokers {
            match Self::via(broker, group, timeout).await {
                Ok(client) => return Ok(client),
                Err(error) => last_error = error,
            }
        }
        Err(last_error)
    }

    async fn via(broker: &str, group: &str, timeout: Duration) -> Result<Self, FeedError> {
        let mut bootstrap = Self::open(broker, group, timeout).await?;
        let find = FindCoordinatorRequest::default()
            .with_key(StrBytes::from_string(group.to_owned()))
            .with_key_type(KEY_TYPE_GROUP);
        let found = bootstrap.request(find, 3).await?;
        check("FindCoordinator", found.error_code)?;
        let coordinator = format!("{}:{}", found.host.as_str(), found.port);
        Self::open(&coordinator, group, timeout).await
    }

    async fn open(address: &str, group: &str, timeout: Duration) -> Result<Self, FeedError> {
        let stream = tokio::time::timeout(timeout, TcpStream::connect(address))
            .await
            .map_err(|_| FeedError::Protocol(format!("connecting to {address} timed out")))??;
        Ok(Self {
            stream,
            group: group.to_owned(),
            correlation_id: 0,
            timeout,
        })
    }

    /// The group's committed offset of `topic`'s `partition`, if it has one.
    pub async fn committed(
        &mut self,
        topic: &str,
        partition: i32,
    ) -> Result<Option<i64>, FeedError> {
        let fetch = OffsetFetchRequest::default()
            .with_group_id(GroupId(StrBytes::from_string(self.group.clone())))
            .with_topics(Some(vec![OffsetFetchRequestTopic::default()
                .with_name(TopicName(StrBytes::from_string(topic.to_owned())))
                .with_partition_indexes(vec![partition])]));
        let fetched = self.request(fetch, 6).await?;
        check("OffsetFetch", fetched.error_code)?;
        let found = fetched
            .topics
            .iter()
            .filter(|t| t.name.0.as_str() == topic)
            .flat_map(|t| &t.partitions)
            .find(|p| p.partition_index == partition);
        match found {
            Some(found) => {
                check("OffsetFetch", found.error_code)?;
                Ok((found.committed_offset >= 0).then_some(found.committed_offset))
            }
            None => Ok(None),
        }
    }

    /// Commits `offset` (the next record to read) for `topic`'s `partition`.
    pub async fn commit(
        &mut self,
        topic: &str,
        partition: i32,
        offset: i64,
    ) -> Result<(), FeedError> {
        let commit = OffsetCommitRequest::default()
            .with_group_id(GroupId(StrBytes::from_string(self.group.clone())))
            .with_generation_id_or_member_epoch(-1)
            .with_member_id(StrBytes::default())
            .with_topics(vec![OffsetCommitRequestTopic::default()
                .with_name(TopicName(StrBytes::from_string(topic.to_owned())))
                .with_partitions(vec![OffsetCommitRequestPartition::default()
                    .with_partition_index(partition)
                    .with_committed_offset(offset)
                    .with_committed_leader_epoch(-1)])]);
        let committed = self.request(commit, 8).await?;
        for partition in committed.topics.iter().flat_map(|t| &t.partitions) {
            check("OffsetCommit", partition.error_code)?;
        }
        Ok(())
    }

    /// Sends one request and reads its answer, within the timeout.
    async fn request<R: Request>(
        &mut self,
        request: R,
        version: i16,
    ) -> Result<R::Response, FeedError> {
        let timeout = self.timeout;
        tokio::time::timeout(timeout, self.exchange(request, version))
            .await
            .map_err(|_| FeedError::Protocol(format!("request {} timed out", R::KEY)))?
    }

    async fn exchange<R: Request>(
        &mut self,
        request: R,
        version: i16,
    ) -> Result<R::Response, FeedError> {
        self.correlation_id = self.correlation_id.wrapping_add(1);
        let header = RequestHeader::default()
            .with_request_api_key(R::KEY)
            .with_request_api_version(version)
            .with_correlation_id(self.correlation_id)
            .with_client_id(Some(StrBytes::from_static_str(CLIENT_ID)));
        let mut body = BytesMut::new();
        header
            .encode(&mut body, R::header_version(version))
            .map_err(encoding)?;
        request.encode(&mut body, version).map_err(encoding)?;
        let mut frame = BytesMut::with_capacity(4 + body.len());
        frame.put_i32(
            i32::try_from(body.len())
                .map_err(|_| FeedError::Protocol("request too large".into()))?,
        );
        frame.extend_from_slice(&body);
        self.stream.write_all(&frame).await?;
        let size = usize::try_from(self.stream.read_i32().await?)
            .ok()
            .filter(|size| *size <= RESPONSE_BYTES_MAX)
            .ok_or_else(|| FeedError::Protocol("an answer of an impossible size".into()))?;
        let mut answer = vec![0; size];
        self.stream.read_exact(&mut answer).await?;
        let mut answer = Bytes::from(answer);
        let header = ResponseHeader::decode(&mut answer, R::Response::header_version(version))
            .map_err(encoding)?;
        if header.correlation_id != self.correlation_id {
            return Err(FeedError::Protocol(format!(
                "answer {} to request {}",
                header.correlation_id, self.correlation_id
            )));
        }
        let response = R::Response::decode(&mut answer, version).map_err(encoding)?;
        if answer.has_remaining() {
            return Err(FeedError::Protocol("trailing bytes after an answer".into()));
        }
        Ok(response)
    }
}

fn encoding(error: impl std::fmt::Display) -> FeedError {
    FeedError::Protocol(format!("Kafka protocol: {error}"))
}

/// Fails on a Kafka error code.
fn check(request: &str, code: i16) -> Result<(), FeedError> {
    match ResponseError::try_from_code(code) {
        None => Ok(()),
        Some(error) => Err(FeedError::Protocol(format!("{request}: {error}"))),
    }
}
