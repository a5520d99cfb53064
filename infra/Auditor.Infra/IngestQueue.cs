using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace Auditor.Infra;

/// <summary>
/// The buffer between S3 and <c>ingest</c>: a queue with a dead-letter queue, so no log object is lost when the function
/// fails, is throttled or is not deployed yet, and alarms that say so.
/// </summary>
public sealed class IngestQueue : Construct
{
    /// <summary>
    /// Receives before a message goes to the dead-letter queue. AWS advises at least 5 for a Lambda consumer: throttled
    /// polls also count as receives, and a transient S3/DynamoDB error must not bury a good object.
    /// </summary>
    public const int MaxReceiveCount = 5;

    /// <summary>The dead-letter queue keeps failures for the longest time SQS allows, for investigation and redrive.</summary>
    public static readonly Duration DeadLetterRetention = Duration.Days(14);

    /// <summary>Creates the queues, the alarm topic and the alarms.</summary>
    /// <param name="scope">Parent.</param>
    /// <param name="id">Construct id.</param>
    /// <param name="visibilityTimeout">At least 6× the function timeout plus the batching window (AWS guidance), so a
    /// message is never handed to a second invocation while the first one may still be working on it.</param>
    /// <param name="alarmEmail">Subscribed to the alarm topic when given.</param>
    public IngestQueue(Construct scope, string id, Duration visibilityTimeout, string? alarmEmail)
        : base(scope, id)
    {
        DeadLetterQueue = new Queue(this, "DeadLetterQueue", new QueueProps
        {
            RetentionPeriod = DeadLetterRetention,
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
        });

        Queue = new Queue(this, "Queue", new QueueProps
        {
            VisibilityTimeout = visibilityTimeout,
            // Four days of backlog: covers a long outage of the function before anything is at risk.
            RetentionPeriod = Duration.Days(4),
            // SQS-managed encryption: S3 and EventBridge can send to it without a key policy of ours.
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            DeadLetterQueue = new DeadLetterQueue { Queue = DeadLetterQueue, MaxReceiveCount = MaxReceiveCount },
        });

        AlarmTopic = new Topic(this, "AlarmTopic", new TopicProps
        {
            DisplayName = "KMS Trail Auditor alarms",
            EnforceSSL = true,
        });
        if (alarmEmail is not null)
        {
            AlarmTopic.AddSubscription(new EmailSubscription(alarmEmail));
        }

        // Any message in the dead-letter queue is a log object that was not audited.
        DeadLetterAlarm = DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(new MetricOptions
        {
            Period = Duration.Minutes(5),
            Statistic = "Maximum",
        }).CreateAlarm(this, "DeadLetterAlarm", new CreateAlarmOptions
        {
            AlarmDescription = "CloudTrail log objects failed ingest after retries and wait in the dead-letter queue; "
                + "see docs/deploy.md (redrive).",
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        DeadLetterAlarm.AddAlarmAction(new SnsAction(AlarmTopic));

        // CloudTrail delivers about every 5 minutes; an hour-old message means ingest is not keeping up or not running.
        BacklogAlarm = Queue.MetricApproximateAgeOfOldestMessage(new MetricOptions
        {
            Period = Duration.Minutes(5),
            Statistic = "Maximum",
        }).CreateAlarm(this, "BacklogAlarm", new CreateAlarmOptions
        {
            AlarmDescription = "The oldest message in the ingest queue is more than an hour old.",
            Threshold = 3600,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 3,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        BacklogAlarm.AddAlarmAction(new SnsAction(AlarmTopic));
    }

    /// <summary>The ingest queue.</summary>
    public Queue Queue { get; }

    /// <summary>Its dead-letter queue.</summary>
    public Queue DeadLetterQueue { get; }

    /// <summary>Where the alarms publish.</summary>
    public Topic AlarmTopic { get; }

    /// <summary>Fires when anything reaches the dead-letter queue.</summary>
    public Alarm DeadLetterAlarm { get; }

    /// <summary>Fires when the queue backs up.</summary>
    public Alarm BacklogAlarm { get; }
}
